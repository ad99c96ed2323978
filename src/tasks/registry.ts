import type { ModuleName } from '../playbook/model.js';
import { assertModule } from './assert.js';
import { commandModule } from './command.js';
import { etcdDeltaReplayModule } from './etcd-delta-replay.js';
import { etcdReplacePlanModule } from './etcd-replace-plan.js';
import { copyModule } from './copy.js';
import { debugModule } from './debug.js';
import { etcdBackupFindModule } from './etcd-backup-find.js';
import { etcdBackupPruneModule } from './etcd-backup-prune.js';
import { etcdFactsModule } from './etcd-facts.js';
import { etcdClusterModule } from './etcd-cluster.js';
import { etcdManifestModule } from './etcd-manifest.js';
import { etcdManifestWriteModule } from './etcd-manifest-write.js';
import { etcdMemberModule } from './etcd-member.js';
import { etcdSnapshotModule } from './etcd-snapshot.js';
import { openshiftBackupFindModule } from './openshift-backup-find.js';
import { openshiftEtcdEnvModule } from './openshift-etcd-env.js';
import { failModule } from './fail.js';
import { fetchModule } from './fetch.js';
import { fileModule } from './file.js';
import type { ModuleDef } from './module.js';
import { pauseModule } from './pause.js';
import { pingModule } from './ping.js';
import { s3DownloadModule } from './s3-download.js';
import { s3UploadModule } from './s3-upload.js';
import { setFactModule } from './set-fact.js';
import { shellModule } from './shell.js';
import { staticPodModule } from './static-pod.js';
import { etcdRollbackModule } from './etcd-rollback.js';
import { statModule } from './stat.js';
import { templateModule } from './template.js';
import { waitForModule } from './wait-for.js';
import { lineinfileModule } from './lineinfile.js';
import { replaceModule } from './replace.js';
import { blockinfileModule } from './blockinfile.js';
import { slurpModule } from './slurp.js';
import { tempfileModule } from './tempfile.js';
import { findModule } from './find.js';
import { setupModule } from './setup.js';
import { getUrlModule } from './get-url.js';
import { uriModule } from './uri.js';
import { unarchiveModule } from './unarchive.js';
import { addHostModule } from './add-host.js';
import { groupByModule } from './group-by.js';
import { serviceModule, systemdModule, systemdServiceModule } from './service.js';

/** Every module by name; the schema's Task lists exactly these (a unit test keeps them in step). */
export const MODULE_REGISTRY: Record<ModuleName, ModuleDef<never>> = {
  command: commandModule,
  shell: shellModule,
  copy: copyModule,
  template: templateModule,
  fetch: fetchModule,
  file: fileModule,
  stat: statModule,
  wait_for: waitForModule,
  assert: assertModule,
  fail: failModule,
  debug: debugModule,
  set_fact: setFactModule,
  pause: pauseModule,
  ping: pingModule,
  etcd_replace_plan: etcdReplacePlanModule,
  etcd_delta_replay: etcdDeltaReplayModule,
  s3_upload: s3UploadModule,
  s3_download: s3DownloadModule,
  etcd_backup_find: etcdBackupFindModule,
  etcd_backup_prune: etcdBackupPruneModule,
  openshift_backup_find: openshiftBackupFindModule,
  etcd_manifest: etcdManifestModule,
  openshift_etcd_env: openshiftEtcdEnvModule,
  etcd_cluster: etcdClusterModule,
  etcd_manifest_write: etcdManifestWriteModule,
  etcd_facts: etcdFactsModule,
  etcd_member: etcdMemberModule,
  etcd_snapshot: etcdSnapshotModule,
  static_pod: staticPodModule,
  etcd_rollback: etcdRollbackModule,
  lineinfile: lineinfileModule,
  replace: replaceModule,
  blockinfile: blockinfileModule,
  slurp: slurpModule,
  tempfile: tempfileModule,
  find: findModule,
  setup: setupModule,
  get_url: getUrlModule,
  uri: uriModule,
  unarchive: unarchiveModule,
  service: serviceModule,
  systemd: systemdModule,
  systemd_service: systemdServiceModule,
  group_by: groupByModule,
  add_host: addHostModule,
};
