#!/usr/bin/env bash

### Created by the tsplay lab: a stand-in for cluster-etcd-operator's cluster-backup.sh (same interface). DO NOT edit.

# cluster-backup.sh [--force] DIR
#   Writes DIR/snapshot_<YYYY-MM-DD_HHMMSS>.db (this master's member only) and DIR/static_kuberesources_<same>.tar.gz
#   (the current static-pod-resources/<name>-pod-<N> dirs of kube-apiserver, kube-controller-manager,
#   kube-scheduler and etcd), both mode 600. Refuses while one of those operators is progressing, unless --force
#   (which must come first), in which case both names end in __POSSIBLY_DIRTY__ before the extension. Checks the
#   snapshot with `snapshot status`. Every failure exits 1 and removes the partial files.
# Lab difference: the real script has this node's NODE_<node>_IP filled in when it is rendered; this one finds this
# node by its host name (as the operator names nodes) in etcd.env.

set -o errexit
set -o pipefail
set -o errtrace

if [[ $EUID -ne 0 ]]; then
  echo "This script must be run as root"
  exit 1
fi

function usage {
  echo 'Path to backup dir required: ./cluster-backup.sh [--force] <path-to-backup-dir>'
  exit 1
}

IS_DIRTY=""
if [ "${1:-}" == "--force" ]; then
  IS_DIRTY="__POSSIBLY_DIRTY__"
  shift
fi

# no directory given, or an existing file given
if [ -z "${1:-}" ] || [ -f "$1" ]; then
  usage
fi

if [ ! -d "$1" ]; then
  mkdir -p "$1"
fi

function check_if_operator_is_progressing {
  local operator="$1" progressing
  if [ ! -f "${KUBECONFIG}" ]; then
    echo "Valid kubeconfig is not found in kube-apiserver-certs. Exiting!"
    exit 1
  fi
  progressing=$(oc get co "${operator}" -o jsonpath='{.status.conditions[?(@.type=="Progressing")].status}') || true
  if [ "$progressing" == "" ]; then
    echo "Could not find the status of the $operator. Check if the API server is running. Pass the --force flag to skip checks."
    exit 1
  elif [ "$progressing" != "False" ]; then
    echo "Currently the $operator operator is progressing. A reliable backup requires that a rollout is not in progress.  Aborting!"
    exit 1
  fi
}

# tar the current revision dir of each static pod, paths relative to /etc/kubernetes
function backup_latest_kube_static_resources {
  local backup_tar_file="$1" resource latest
  local latest_resource_dirs=()
  for resource in kube-apiserver kube-controller-manager kube-scheduler etcd; do
    if [ ! -f "/etc/kubernetes/manifests/${resource}-pod.yaml" ]; then
      echo "error finding manifests for the ${resource} pod. please check if it is running."
      exit 1
    fi
    latest=$(grep -o -m 1 "/etc/kubernetes/static-pod-resources/${resource}-pod-[0-9]*" "/etc/kubernetes/manifests/${resource}-pod.yaml") || true
    if [ -z "${latest}" ]; then
      echo "error finding static-pod-resources for the ${resource} pod. please check if it is running."
      exit 1
    fi
    if [ "${IS_DIRTY}" == "" ]; then
      check_if_operator_is_progressing "${resource}"
    fi
    echo "found latest ${resource}: ${latest}"
    latest_resource_dirs+=("${latest#${CONFIG_FILE_DIR}/}")
  done
  tar -cpzf "$backup_tar_file" -C "${CONFIG_FILE_DIR}" "${latest_resource_dirs[@]}"
  chmod 600 "$backup_tar_file"
}

function source_required_dependency {
  local src_path="$1"
  if [ ! -f "${src_path}" ]; then
    echo "required dependencies not found, please ensure this script is run on a node with a functional etcd static pod"
    exit 1
  fi
  # shellcheck disable=SC1090
  source "${src_path}"
}

BACKUP_DIR="$1"
DATESTRING=$(date "+%F_%H%M%S")
BACKUP_TAR_FILE=${BACKUP_DIR}/static_kuberesources_${DATESTRING}${IS_DIRTY}.tar.gz
SNAPSHOT_FILE="${BACKUP_DIR}/snapshot_${DATESTRING}${IS_DIRTY}.db"

trap 'rm -f ${BACKUP_TAR_FILE} ${SNAPSHOT_FILE}' ERR

source_required_dependency /etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd.env
source_required_dependency /etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd-common-tools

NODE_KEY=$(hostname | tr -- '-.' '__')
NODE_IP_VAR="NODE_${NODE_KEY}_IP"
NODE_NAME_VAR="NODE_${NODE_KEY}_ETCD_NAME"
if [ -z "${!NODE_IP_VAR:-}" ]; then
  echo "this host ($(hostname)) is not one of the masters in etcd.env"
  exit 1
fi

# etcd.env names the pods' certificate paths: use the host's
if [ ! -f "${ETCDCTL_CACERT}" ]; then
  echo "Certificate ${ETCDCTL_CACERT} is missing. Checking in different directory"
  export ETCDCTL_CACERT=$(echo "${ETCDCTL_CACERT}" | sed -e "s|static-pod-certs|static-pod-resources/etcd-certs|")
  export ETCDCTL_CERT=$(echo "${ETCDCTL_CERT}" | sed -e "s|static-pod-certs|static-pod-resources/etcd-certs|" -e "s|NODE_NAME|${!NODE_NAME_VAR}|")
  export ETCDCTL_KEY=$(echo "${ETCDCTL_KEY}" | sed -e "s|static-pod-certs|static-pod-resources/etcd-certs|" -e "s|NODE_NAME|${!NODE_NAME_VAR}|")
  if [ ! -f "${ETCDCTL_CACERT}" ]; then
    echo "Certificate ${ETCDCTL_CACERT} is also missing in the second directory. Exiting!"
    exit 1
  else
    echo "Certificate ${ETCDCTL_CACERT} found!"
  fi
fi

backup_latest_kube_static_resources "${BACKUP_TAR_FILE}"

# get etcdctl out of the etcd image, then the snapshot of this master's member
dl_etcdctl
ETCDCTL_ENDPOINTS="https://${!NODE_IP_VAR}:2379" etcdctl snapshot save "${SNAPSHOT_FILE}"
chmod 600 "${SNAPSHOT_FILE}"

# check the integrity of the snapshot
check_snapshot_status "${SNAPSHOT_FILE}"

echo "snapshot db and kube resources are successfully saved to ${BACKUP_DIR}"
