package htmlform

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Page is what a person would look at on a page.
type Page struct {
	Title string
	// Heading is the text of the first h1.
	Heading string
	// Alert is the text of the first element with role="alert".
	Alert string
	// Text is all visible text, whitespace collapsed.
	Text string
	// Main is the visible text inside <main>, without the page's frame.
	Main  string
	Forms []Form
}

// Form is one form with the values its fields hold.
type Form struct {
	ID, Method, Action string
	// Fields holds input values (hidden, text, password, ...) by name;
	// buttons are not included.
	Fields url.Values
	// Inputs lists field names in page order, with their type.
	Inputs  []Input
	Buttons []Button
}

// Input is a form field.
type Input struct{ Name, Type string }

// Button is a submit button.
type Button struct{ Name, Value, Text string }

// Form returns the form with the given id.
func (p *Page) Form(id string) (Form, bool) {
	for _, f := range p.Forms {
		if f.ID == id {
			return f, true
		}
	}
	return Form{}, false
}

// HasInput reports whether the form has a field of that name.
func (f Form) HasInput(name string) bool {
	for _, in := range f.Inputs {
		if in.Name == name {
			return true
		}
	}
	return false
}

// Button returns the submit button whose value (or, failing that, text) is
// v, case-insensitively.
func (f Form) Button(v string) (Button, bool) {
	for _, b := range f.Buttons {
		if strings.EqualFold(b.Value, v) || strings.EqualFold(strings.TrimSpace(b.Text), v) {
			return b, true
		}
	}
	return Button{}, false
}

// Submit returns the values a browser would send when the button is
// pressed, after set replaces fields by name.
func (f Form) Submit(b Button, set map[string]string) url.Values {
	v := url.Values{}
	for k, vs := range f.Fields {
		v[k] = append([]string(nil), vs...)
	}
	for k, s := range set {
		v.Set(k, s)
	}
	if b.Name != "" {
		v.Set(b.Name, b.Value)
	}
	return v
}

// Parse reads a page.
func Parse(r io.Reader) (*Page, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity

	p := &Page{}
	var (
		form     *Form
		button   *Button
		stack    []string // open elements, for title/h1/alert/script text
		alertAt  = -1
		text     strings.Builder
		title    strings.Builder
		heading  strings.Builder
		alert    strings.Builder
		inTitle  bool
		inMain   int
		main     strings.Builder
		h1Done   bool
		inH1     bool
		skipText int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse html: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			attr := attrs(t)
			stack = append(stack, name)
			switch name {
			case "title":
				inTitle = true
			case "main":
				inMain++
			case "h1":
				inH1 = !h1Done
			case "style", "script":
				skipText++
			case "form":
				p.Forms = append(p.Forms, Form{
					ID: attr["id"], Method: strings.ToUpper(orDefault(attr["method"], "GET")),
					Action: attr["action"], Fields: url.Values{},
				})
				form = &p.Forms[len(p.Forms)-1]
			case "input":
				if form != nil && attr["name"] != "" {
					typ := strings.ToLower(orDefault(attr["type"], "text"))
					switch typ {
					case "submit", "button", "image", "reset":
						form.Buttons = append(form.Buttons, Button{Name: attr["name"], Value: attr["value"], Text: attr["value"]})
					case "checkbox", "radio":
						form.Inputs = append(form.Inputs, Input{attr["name"], typ})
						if _, checked := attr["checked"]; checked {
							form.Fields.Add(attr["name"], orDefault(attr["value"], "on"))
						}
					default:
						form.Inputs = append(form.Inputs, Input{attr["name"], typ})
						form.Fields.Add(attr["name"], attr["value"])
					}
				}
			case "button":
				if form != nil && strings.ToLower(orDefault(attr["type"], "submit")) == "submit" {
					form.Buttons = append(form.Buttons, Button{Name: attr["name"], Value: attr["value"]})
					button = &form.Buttons[len(form.Buttons)-1]
				}
			}
			if attr["role"] == "alert" && alertAt < 0 && p.Alert == "" {
				alertAt = len(stack)
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			switch name {
			case "title":
				inTitle = false
			case "main":
				inMain--
			case "h1":
				if inH1 {
					inH1, h1Done = false, true
				}
			case "style", "script":
				skipText--
			case "form":
				form, button = nil, nil
			case "button":
				button = nil
			}
			if alertAt == len(stack) {
				p.Alert = collapse(alert.String())
				alertAt = -1
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			s := string(t)
			switch {
			case inTitle:
				title.WriteString(s)
			case skipText > 0:
				continue
			}
			if inH1 {
				heading.WriteString(s)
			}
			if alertAt >= 0 {
				alert.WriteString(s)
			}
			if button != nil {
				button.Text += s
			}
			if !inTitle {
				text.WriteString(s)
				text.WriteByte(' ')
			}
			if inMain > 0 {
				main.WriteString(s)
				main.WriteByte(' ')
			}
		}
	}
	p.Title = collapse(title.String())
	p.Heading = collapse(heading.String())
	p.Text = collapse(text.String())
	p.Main = collapse(main.String())
	for i := range p.Forms {
		for j := range p.Forms[i].Buttons {
			p.Forms[i].Buttons[j].Text = collapse(p.Forms[i].Buttons[j].Text)
		}
	}
	return p, nil
}

func attrs(t xml.StartElement) map[string]string {
	m := make(map[string]string, len(t.Attr))
	for _, a := range t.Attr {
		m[strings.ToLower(a.Name.Local)] = a.Value
	}
	return m
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
