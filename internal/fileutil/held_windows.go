//go:build windows

package fileutil

import (
	"errors"
	"fmt"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// heldError describes target, which a rename could not replace because of
// err, with the programs that hold it open.
func heldError(target string, err error) *HeldError {
	holders, lookup := holdersOf(target)
	return &HeldError{Path: target, Waited: renameBudget, Holders: holders, Lookup: lookup, Err: err}
}

// The Restart Manager knows which processes have a file open. It is
// loaded on first use: a process that never meets a held file never
// loads it.
var (
	rstrtmgr            = windows.NewLazySystemDLL("rstrtmgr.dll")
	procRmStartSession  = rstrtmgr.NewProc("RmStartSession")
	procRmRegisterRes   = rstrtmgr.NewProc("RmRegisterResources")
	procRmGetList       = rstrtmgr.NewProc("RmGetList")
	procRmEndSession    = rstrtmgr.NewProc("RmEndSession")
	errNoRestartManager = errors.New("the Restart Manager (rstrtmgr.dll) is not available")
	errNoHolderListed   = errors.New("the Restart Manager lists no process holding it")
)

// rmProcessInfo is RM_PROCESS_INFO.
type rmProcessInfo struct {
	PID              uint32
	StartTime        windows.Filetime
	AppName          [256]uint16
	ServiceShortName [64]uint16
	ApplicationType  uint32
	AppStatus        uint32
	TSSessionID      uint32
	Restartable      int32
}

// holdersOf asks the Restart Manager which processes have path open.
func holdersOf(path string) ([]Holder, error) {
	if rstrtmgr.Load() != nil || procRmGetList.Find() != nil {
		return nil, errNoRestartManager
	}
	var session uint32
	var key [33]uint16 // CCH_RM_SESSION_KEY + 1
	if r, _, _ := procRmStartSession.Call(uintptr(unsafe.Pointer(&session)), 0, uintptr(unsafe.Pointer(&key[0]))); r != 0 {
		return nil, fmt.Errorf("RmStartSession: %w", windows.Errno(r))
	}
	defer procRmEndSession.Call(uintptr(session))
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	if r, _, _ := procRmRegisterRes.Call(uintptr(session), 1, uintptr(unsafe.Pointer(&name)), 0, 0, 0, 0); r != 0 {
		return nil, fmt.Errorf("RmRegisterResources: %w", windows.Errno(r))
	}
	infos := make([]rmProcessInfo, 4)
	for {
		var needed, reasons uint32
		n := uint32(len(infos))
		r, _, _ := procRmGetList.Call(uintptr(session), uintptr(unsafe.Pointer(&needed)), uintptr(unsafe.Pointer(&n)),
			uintptr(unsafe.Pointer(&infos[0])), uintptr(unsafe.Pointer(&reasons)))
		if windows.Errno(r) == windows.ERROR_MORE_DATA && int(needed) > len(infos) {
			infos = make([]rmProcessInfo, needed)
			continue
		}
		if r != 0 {
			return nil, fmt.Errorf("RmGetList: %w", windows.Errno(r))
		}
		if n == 0 {
			return nil, errNoHolderListed
		}
		holders := make([]Holder, 0, n)
		for _, info := range infos[:n] {
			holders = append(holders, Holder{Name: processName(info), PID: int(info.PID)})
		}
		return holders, nil
	}
}

// processName is the program's file name (aws.exe), or the name the
// Restart Manager gives when the process cannot be opened.
func processName(info rmProcessInfo) string {
	if h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, info.PID); err == nil {
		defer windows.CloseHandle(h)
		buf := make([]uint16, windows.MAX_LONG_PATH)
		n := uint32(len(buf))
		if windows.QueryFullProcessImageName(h, 0, &buf[0], &n) == nil {
			return filepath.Base(windows.UTF16ToString(buf[:n]))
		}
	}
	return windows.UTF16ToString(info.AppName[:])
}
