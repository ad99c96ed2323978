#!/usr/bin/env bash
# Installs the Debian packages tsplay's lab, tests and demo need, only when something is missing.
# Services are not started by the install (policy-rc.d): the lab runs its own sshd/etcd per host.
set -euo pipefail
need=()
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
# the lab: nsenter (util-linux) runs commands inside a host, ss (iproute2) names who holds a port
command -v nsenter >/dev/null 2>&1 || need+=(util-linux)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
command -v pkill >/dev/null 2>&1 || need+=(procps)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v compress >/dev/null 2>&1 || need+=(ncompress)
# the oracle of the Ansible-compatibility tests (expressions, inventories): real ansible-core
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
for extra in "$@"; do command -v "$extra" >/dev/null 2>&1 || need+=("$extra"); done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "tsplay: missing Debian packages: ${need[*]}; run as root (or install them) first" >&2
  exit 1
fi
echo "tsplay: installing Debian packages: ${need[*]}" >&2
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
trap '[ $created_policy = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "tsplay: installed ${need[*]}" >&2
