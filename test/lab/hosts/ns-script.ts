/** Files under a host's dir that get bind-mounted over the same path in /etc. */
export const PRIVATE_ETC_FILES = ['passwd', 'shadow', 'group', 'gshadow', 'hosts', 'hostname'] as const;

/**
 * The shell script the namespace holder runs (inside `unshare --mount --uts`): hostname, private
 * /var/lib (overlay, else a fresh dir with /var/lib/dpkg read-only), /etc account files,
 * /etc/sudoers.d, /etc/kubernetes, /tmp, /root, /home; then prints READY and sleeps forever.
 * Inputs come from the environment: H_NAME, H_DIR, LAB_BASE.
 */
export const NAMESPACE_SCRIPT = `
set -eu
hostname "$H_NAME"
# keep SRC TARGET: when LAB_BASE lies under TARGET, bind it at the same place inside SRC
# so the lab's own files stay reachable after SRC is mounted on TARGET.
keep() {
  case "$LAB_BASE/" in
    "$2"/*) rel=\${LAB_BASE#"$2"}; mkdir -p "$1$rel"; mount --bind "$LAB_BASE" "$1$rel" ;;
  esac
}
private_dir() { keep "$1" "$2"; mount --rbind "$1" "$2"; }
if mount -t overlay overlay -o "lowerdir=/var/lib,upperdir=$H_DIR/varlib-upper,workdir=$H_DIR/varlib-work" /var/lib 2>/dev/null; then
  echo VARLIB=overlay
else
  mkdir -p "$H_DIR/varlib/dpkg"
  mount --bind /var/lib/dpkg "$H_DIR/varlib/dpkg"
  mount -o remount,bind,ro "$H_DIR/varlib/dpkg" 2>/dev/null || true
  private_dir "$H_DIR/varlib" /var/lib
  echo VARLIB=bind
fi
for f in ${PRIVATE_ETC_FILES.join(' ')}; do mount --bind "$H_DIR/etc/$f" "/etc/$f"; done
mount --bind "$H_DIR/etc/sudoers.d" /etc/sudoers.d
mount --bind "$H_DIR/etc/kubernetes" /etc/kubernetes
private_dir "$H_DIR/tmp" /tmp
private_dir "$H_DIR/root" /root
private_dir "$H_DIR/home" /home
echo READY
exec sleep infinity </dev/null >/dev/null 2>&1
`;
