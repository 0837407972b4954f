; HTX Desktop — Windows installer (Inno Setup 6).
;   iscc /DAppVersion=0.1.0 build\windows\htx-desktop.iss
; Input: the one-folder bundle from build/build-bundle.sh (build\out\dist\htx-desktop).
; Output: build\out\installer\HTX-Desktop-Setup-<version>.exe
;
; - Per user, no administrator rights: installs into %LOCALAPPDATA%\Programs\HTX Desktop.
; - The officer's data lives elsewhere (%LOCALAPPDATA%\HTX Desktop, htx_desktop/store/paths.py),
;   so an upgrade replaces the program and never touches it; uninstall asks before removing it.
; - Fixed AppId: a newer installer upgrades the installed copy in place.
; Saved as UTF-8 with a byte-order mark, like Vietnamese-htx.isl: Inno reads non-ASCII text
; correctly only then.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\out\dist\htx-desktop"
#endif
#ifndef Compression
  ; build/windows/wine/check.sh builds its throw-away upgrade installer with /DCompression=zip/1
  #define Compression "lzma2/max"
#endif
#define AppName "HTX Desktop"
#define AppExe "htx-desktop.exe"
; %LOCALAPPDATA%\HTX Desktop: platformdirs.user_data_dir("HTX Desktop", appauthor=False).
#define DataFolder "{localappdata}\HTX Desktop"

[Setup]
; Never change AppId: it is how an upgrade finds the installed copy.
AppId={{5D01D25E-1E36-4E6F-91E9-09261FE2D23A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Hội Liên hiệp Phụ nữ Việt Nam
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
DefaultGroupName={#AppName}
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.11's Qt6Core.dll needs Windows' own ICU (icuuc.dll), which Windows 10 has from version
; 1903 (build 18362) on. Older systems get a Vietnamese message naming it (WindowsVersionNotSupported
; in Vietnamese-htx.isl, seen under Wine set to Windows 8.1) and no install.
MinVersion=10.0.18362
SetupIconFile=..\..\resources\icons\htx-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression={#Compression}
SolidCompression=yes
; A running copy is never overwritten: the window holds this mutex (htx_desktop/running_mark.py,
; same name), and while it exists Setup and the uninstaller ask the officer to close the program
; (SetupAppRunningError / UninstallAppRunningError); a silent run gives up instead (exit code 1).
AppMutex=HTXDesktop.Running.5D01D25E-1E36-4E6F-91E9-09261FE2D23A
; Anything else holding a file of the bundle (Restart Manager): the officer is offered to close it.
CloseApplications=yes
RestartApplications=no
; Code signing hook: ISCC /Shtxsign="<command with $f>" /DSignTool=htxsign signs the setup program
; and the uninstaller (build/windows/sign.sh explains; the bundle's .exe are signed before ISCC).
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif
OutputDir=..\out\installer
OutputBaseFilename=HTX-Desktop-Setup-{#AppVersion}
ShowLanguageDialog=no

[Languages]
; Default.isl for anything this installer never shows; our own Vietnamese for the rest.
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese-htx.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle: libraries an older version had must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; Start menu (per user, no folder: one entry) and the optional desktop shortcut, in Vietnamese.
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "{cm:ShortcutComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "{cm:ShortcutComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[CustomMessages]
vi.RemoveDataQuestion=Có xóa luôn dữ liệu đã nhập không?%n%nThư mục dữ liệu:%n%1%n%n(cơ sở dữ liệu, các bản sao lưu và nhật ký)%n%nChọn „Có“ chỉ khi bạn chắc chắn không cần dữ liệu này nữa, hoặc đã sao chép nó sang nơi khác. Chọn „Không“ để giữ dữ liệu: cài lại chương trình sẽ dùng tiếp.
vi.ShortcutComment=Theo dõi Đề án hỗ trợ HTX do phụ nữ tham gia quản lý
vi.DataKept=Đã gỡ chương trình. Dữ liệu đã nhập vẫn được giữ nguyên trong thư mục:%n%n%1%n%nCài lại HTX Desktop (cùng tài khoản Windows) sẽ dùng tiếp dữ liệu này. Muốn chuyển sang máy khác, hãy sao chép cả thư mục này.
vi.RemoveDataFailed=Không xóa hết được thư mục dữ liệu:%n%1%n%nBạn có thể tự xóa thư mục này.

[Code]
{ Uninstall keeps the officer's data unless she says otherwise. The question defaults to No;
  a silent uninstall (/SILENT, /VERYSILENT, e.g. by an upgrade script) never removes data.
  Only the default data folder is handled: one chosen with --data-dir or HTX_DATA_DIR is hers. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{#DataFolder}');
  if not DirExists(DataDir) then
    Exit;
  if UninstallSilent then
  begin
    Log('Data folder kept: ' + DataDir);
    Exit;
  end;
  if MsgBox(FmtMessage(CustomMessage('RemoveDataQuestion'), [DataDir]), mbConfirmation,
            MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    if not DelTree(DataDir, True, True, True) then
      MsgBox(FmtMessage(CustomMessage('RemoveDataFailed'), [DataDir]), mbError, MB_OK);
  end
  else
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
end;
