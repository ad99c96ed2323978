#!/bin/bash
# The lab's stand-in for OpenShift's /usr/local/bin/cluster-backup.sh: same interface and outputs.
#   cluster-backup.sh [--force] DIR
# writes DIR/static_kuberesources_<YYYY-MM-DD_HHMMSS>.tar.gz (the static pod manifests and certificates) and
# DIR/snapshot_<same>.db (etcdctl snapshot save from this master's etcd), then checks the snapshot with
# `snapshot status`. (The real script refuses to run during an operator rollout unless --force; the lab has none.)
set -euo pipefail
if [ "${1:-}" = "--force" ]; then shift; fi
dir=${1:?usage: cluster-backup.sh [--force] DIR}
manifest=/etc/kubernetes/manifests/etcd.yaml
flag() { grep -o -- "--$1=[^ \",]*" "$manifest" | head -1 | cut -d= -f2-; }
mkdir -p "$dir"
ts=$(date -u +%Y-%m-%d_%H%M%S)
snap="$dir/snapshot_$ts.db"
res="$dir/static_kuberesources_$ts.tar.gz"
tar -czf "$res" -C /etc/kubernetes manifests $(cd /etc/kubernetes && ls -d ssl pki 2>/dev/null)
export ETCDCTL_API=3
# the apiserver's etcd client pair, wherever the layout keeps it (kubespray/DCE: ssl/, kubeadm: pki/)
client=/etc/kubernetes/ssl/apiserver-etcd-client
[ -e "$client.crt" ] || client=/etc/kubernetes/pki/apiserver-etcd-client
etcdctl --endpoints="$(flag advertise-client-urls)" --cacert="$(flag trusted-ca-file)" \
  --cert="$client.crt" --key="$client.key" \
  snapshot save "$snap"
etcdctl snapshot status "$snap" -w table
chmod 600 "$snap" "$res"
echo "snapshot db and kube resources are successfully saved to $dir"
