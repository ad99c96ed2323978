// How the lab's static-pod agent starts one container: its argv, wrapped in a private mount namespace when the
// container mounts a hostPath somewhere else than where it is on the host (e.g. OpenShift's etcd pod sees
// /etc/kubernetes/static-pod-resources/etcd-certs as /etc/kubernetes/static-pod-certs), and its environment
// (PATH first through the container image's bin dir when the lab has that image).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerSpec, Mount } from './pod-spec.js';

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Shell functions for the mount script. `shadow DIR` puts a tmpfs over DIR holding bind mounts of everything DIR had,
 * so a missing mount point can be created under it inside this namespace only (the host never sees it).
 */
const FUNCTIONS = `
shadow() {
  o=$(mktemp -d /tmp/.lab-shadow-XXXXXX)
  mount --rbind "$1" "$o"
  mount -t tmpfs -o mode=0755 lab-shadow "$1"
  for e in "$o"/* "$o"/.[!.]* "$o"/..?*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    n=\${e##*/}
    if [ -L "$e" ]; then cp -P "$e" "$1/$n"
    elif [ -d "$e" ]; then mkdir "$1/$n"; mount --rbind "$e" "$1/$n"
    else : > "$1/$n"; mount --bind "$e" "$1/$n"; fi
  done
  umount -l "$o"; rmdir "$o"
}
target() {
  [ -e "$1" ] && return 0
  a=$1; while [ ! -e "$a" ]; do a=\${a%/*}; [ -n "$a" ] || a=/; done
  [ "$a" = / ] && { echo "lab: cannot create mount point $1" >&2; exit 1; }
  shadow "$a"
  if [ "$2" = dir ]; then mkdir -p "$1"; else mkdir -p "\${1%/*}"; : > "$1"; fi
}
`;

/** The `sh -c` script that makes a container's mounts in its own namespace, then execs the container's argv ("$@"). */
export function mountScript(mounts: readonly Mount[]): string {
  const moved = mounts.filter((m) => m.mountPath !== m.hostPath).sort((a, b) => a.mountPath.length - b.mountPath.length);
  const lines = ['set -e', FUNCTIONS, 'stage=$(mktemp -d /tmp/.lab-stage-XXXXXX)'];
  // every source is pinned first: mounting one target may hide another mount's source (a dir over its parent)
  moved.forEach((m, i) =>
    lines.push(
      `if [ -d ${q(m.hostPath)} ]; then mkdir "$stage/${i}"; else : > "$stage/${i}"; fi; mount --rbind ${q(m.hostPath)} "$stage/${i}"`,
    ),
  );
  moved.forEach((m, i) => {
    lines.push(`if [ -d "$stage/${i}" ]; then target ${q(m.mountPath)} dir; else target ${q(m.mountPath)} file; fi`);
    lines.push(`mount --rbind "$stage/${i}" ${q(m.mountPath)}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${q(m.mountPath)}`);
  });
  moved.forEach((_, i) => lines.push(`umount -l "$stage/${i}"; rm -rf "$stage/${i}"`));
  lines.push('rmdir "$stage"', 'exec "$@"');
  return lines.join('\n');
}

/** True when the container needs its own mount namespace. */
export const needsMountNamespace = (c: ContainerSpec): boolean => c.mounts.some((m) => m.mountPath !== m.hostPath);

/** The argv to spawn for a container (through unshare when it has mounts to make). */
export function launchArgv(c: ContainerSpec): string[] {
  if (!needsMountNamespace(c)) return c.argv;
  return ['unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', mountScript(c.mounts), `container-${c.name}`, ...c.argv];
}

/** Image reference → directory (its root file system: bin/ first on PATH), from `<imagesDir>/index.json`. */
export function readImages(imagesDir: string | undefined): Map<string, string> {
  if (!imagesDir) return new Map();
  try {
    const index = JSON.parse(readFileSync(join(imagesDir, 'index.json'), 'utf8')) as Record<string, string>;
    return new Map(Object.entries(index).map(([ref, dir]) => [ref, join(imagesDir, dir)]));
  } catch {
    return new Map();
  }
}

/** The container's environment: the agent's, PATH through the image's bin dir, then the container's own env. */
export function containerEnv(c: ContainerSpec, base: NodeJS.ProcessEnv, images: Map<string, string>): NodeJS.ProcessEnv {
  const root = images.get(c.image);
  const path = root ? `${join(root, 'bin')}:${base['PATH'] ?? ''}` : base['PATH'];
  return { ...base, ...(path !== undefined ? { PATH: path } : {}), ...c.env };
}
