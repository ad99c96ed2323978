/** Files under a host's dir that get bind-mounted over the same path in /etc. */
export const PRIVATE_ETC_FILES = ['passwd', 'shadow', 'group', 'gshadow', 'hosts', 'hostname'] as const;

/**
 * The shell script the namespace holder runs (inside `unshare --mount --uts`): hostname, private
 * /var/lib (overlay, else a fresh dir with /var/lib/dpkg read-only), /etc account files,
 * /etc/sudoers.d, /etc/kubernetes, /tmp, /root, /home; then prints READY and sleeps forever.
 * Inputs come from the environment: H_NAME, H_DIR, LAB_KEEP (the lab's dir and the repository, one per line:
 * they stay visible inside the host even when they lie under /tmp, /root or /home).
 */
export const NAMESPACE_SCRIPT = `
set -eu
hostname "$H_NAME"
# keep SRC TARGET: every LAB_KEEP path under TARGET is bound at the same place inside SRC
# so the lab's own files (and the repository with node_modules) stay reachable after SRC is mounted on TARGET.
keep() {
  echo "$LAB_KEEP" | while IFS= read -r k; do
    [ -n "$k" ] || continue
    case "$k/" in
      "$2"/*) rel=\${k#"$2"}; mkdir -p "$1$rel"; mount --bind "$k" "$1$rel" ;;
    esac
  done
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
