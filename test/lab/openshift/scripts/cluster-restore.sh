#!/usr/bin/env bash

### Created by the tsplay lab: a stand-in for cluster-etcd-operator's cluster-restore.sh (same interface). DO NOT edit.

# cluster-restore.sh DIR   (on the one recovery master, as root)
#   Takes the newest snapshot*.db and static_kuberesources*.tar.gz in DIR and checks the snapshot; moves the
#   kube-apiserver, kube-controller-manager and kube-scheduler manifests, then etcd-pod.yaml, to
#   /home/core/assets/manifests-stopped and waits until their containers stopped; moves /var/lib/etcd/member to
#   /var/lib/etcd-backup/ (removing a previous /var/lib/etcd-backup/member); puts the backup's static-pod-resources
#   back; copies the snapshot to /var/lib/etcd-backup/snapshot.db and starts the restore pod (a one-member cluster
#   with a new token); then starts the other static pods from the backup's manifests.
#   ETCD_RESTORE_SKIP_MOVE_CP_STATIC_PODS=1 leaves the non-etcd static pods alone.

set -o errexit
set -o pipefail
set -o errtrace

if [[ $EUID -ne 0 ]]; then
  echo "This script must be run as root"
  exit 1
fi

function source_required_dependency {
  local src_path="$1"
  if [ ! -f "${src_path}" ]; then
    echo "required dependencies not found, please ensure this script is run on a node with a functional etcd static pod"
    exit 1
  fi
  # shellcheck disable=SC1090
  source "${src_path}"
}

source_required_dependency /etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd.env
source_required_dependency /etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd-common-tools

function usage() {
  echo 'Path to the directory containing backup files is required: ./cluster-restore.sh <path-to-backup>'
  echo 'The backup directory is expected to be contain two files:'
  echo '        1. etcd snapshot'
  echo '        2. A copy of the Static POD resources at the time of backup'
  exit 1
}

if [ "${1:-}" == "" ] || [ ! -d "$1" ]; then
  usage
fi

# put a static pod manifest back from the backup's revision dir
function restore_static_pods() {
  local backup_file="$1"
  shift
  local pod_file_name backup_pod_path
  for pod_file_name in "$@"; do
    backup_pod_path=$(tar -tvf "${backup_file}" --wildcards "*${pod_file_name}" | awk '{ print $6 }') || true
    if [ -z "${backup_pod_path}" ]; then
      echo "${pod_file_name} does not exist in ${backup_file}"
      exit 1
    fi
    echo "starting ${pod_file_name}"
    tar -xvf "${backup_file}" --strip-components=2 -C "${MANIFEST_DIR}"/ "${backup_pod_path}"
  done
}

function wait_for_containers_to_stop() {
  local container_name
  for container_name in "$@"; do
    echo "Waiting for container ${container_name} to stop"
    while [[ -n $(crictl ps --label io.kubernetes.container.name="${container_name}" -q) ]]; do
      echo -n "."
      sleep 1
    done
    echo "complete"
  done
}

function mv_static_pods() {
  local pod_file_name
  if [ ! -d "$MANIFEST_STOPPED_DIR" ]; then
    mkdir -p "$MANIFEST_STOPPED_DIR"
  fi
  for pod_file_name in "$@"; do
    echo "...stopping ${pod_file_name}"
    [ ! -f "${MANIFEST_DIR}/${pod_file_name}" ] && continue
    mv "${MANIFEST_DIR}/${pod_file_name}" "${MANIFEST_STOPPED_DIR}"
  done
}

BACKUP_DIR="$1"
# shellcheck disable=SC2012
BACKUP_FILE=$(ls -vd "${BACKUP_DIR}"/static_kuberesources*.tar.gz 2>/dev/null | tail -1) || true
# shellcheck disable=SC2012
SNAPSHOT_FILE=$(ls -vd "${BACKUP_DIR}"/snapshot*.db 2>/dev/null | tail -1) || true

ETCD_STATIC_POD_LIST=("etcd-pod.yaml")
AUX_STATIC_POD_LIST=("kube-apiserver-pod.yaml" "kube-controller-manager-pod.yaml" "kube-scheduler-pod.yaml")
ETCD_STATIC_POD_CONTAINERS=("etcd" "etcdctl" "etcd-metrics" "etcd-readyz")
AUX_STATIC_POD_CONTAINERS=("kube-controller-manager" "kube-apiserver" "kube-scheduler")

if [ ! -f "${SNAPSHOT_FILE}" ]; then
  echo "etcd snapshot ${SNAPSHOT_FILE} does not exist"
  exit 1
fi

# get etcdctl and check the snapshot
dl_etcdctl
check_snapshot_status "${SNAPSHOT_FILE}"

if [ -z "${ETCD_RESTORE_SKIP_MOVE_CP_STATIC_PODS:-}" ]; then
  mv_static_pods "${AUX_STATIC_POD_LIST[@]}"
  wait_for_containers_to_stop "${AUX_STATIC_POD_CONTAINERS[@]}"
fi

# always move the etcd pod and wait until all its containers are gone
mv_static_pods "${ETCD_STATIC_POD_LIST[@]}"
wait_for_containers_to_stop "${ETCD_STATIC_POD_CONTAINERS[@]}"

if [ ! -d "${ETCD_DATA_DIR_BACKUP}" ]; then
  mkdir -p "${ETCD_DATA_DIR_BACKUP}"
fi

# keep the old data dir
if [ -d "${ETCD_DATA_DIR}/member" ]; then
  if [ -d "${ETCD_DATA_DIR_BACKUP}/member" ]; then
    echo "removing previous backup ${ETCD_DATA_DIR_BACKUP}/member"
    rm -rf "${ETCD_DATA_DIR_BACKUP}"/member
  fi
  echo "Moving etcd data-dir ${ETCD_DATA_DIR}/member to ${ETCD_DATA_DIR_BACKUP}"
  mv "${ETCD_DATA_DIR}"/member "${ETCD_DATA_DIR_BACKUP}"/
fi

# the static pod resources of the backup
tar -C "${CONFIG_FILE_DIR}" -xzf "${BACKUP_FILE}" static-pod-resources

# the snapshot for the restore pod
cp -p "${SNAPSHOT_FILE}" "${ETCD_DATA_DIR_BACKUP}"/snapshot.db

# the data dir must be empty, or the restore pod crash-loops
if [ -n "$(ls -A "${ETCD_DATA_DIR}" 2>/dev/null)" ]; then
  echo "folder ${ETCD_DATA_DIR} is not empty, please review and remove all files in it"
  exit 1
fi

echo "starting restore-etcd static pod"
cp -p "${RESTORE_ETCD_POD_YAML}" "${MANIFEST_DIR}/etcd-pod.yaml"

# start the other static pods from the backup
if [ -z "${ETCD_RESTORE_SKIP_MOVE_CP_STATIC_PODS:-}" ]; then
  restore_static_pods "${BACKUP_FILE}" "${AUX_STATIC_POD_LIST[@]}"
fi
