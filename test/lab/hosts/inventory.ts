/** A host as the inventory sees it. */
export interface InventoryHost {
  name: string;
  address: string;
  port: number;
}

/** What {@link inventoryIni} writes besides the hosts. */
export interface InventoryOptions {
  /** ansible_user for all hosts (default root). */
  user?: string | undefined;
  /** ansible_ssh_private_key_file for all hosts. */
  privateKeyFile?: string | undefined;
  /** group name → member host names. */
  groups?: Record<string, string[]> | undefined;
  /** extra `[all:vars]`. */
  vars?: Record<string, string | number | boolean> | undefined;
}

/** An Ansible INI inventory: ungrouped hosts with ansible_host/port, optional groups and `[all:vars]`. */
export function inventoryIni(hosts: InventoryHost[], opts: InventoryOptions = {}): string {
  const lines = hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port}`);
  for (const [group, members] of Object.entries(opts.groups ?? {})) {
    lines.push('', `[${group}]`, ...members);
  }
  const vars: Record<string, string | number | boolean> = { ansible_user: opts.user ?? 'root', ...opts.vars };
  if (opts.privateKeyFile) vars['ansible_ssh_private_key_file'] = opts.privateKeyFile;
  lines.push('', '[all:vars]', ...Object.entries(vars).map(([k, v]) => `${k}=${String(v)}`));
  return `${lines.join('\n')}\n`;
}
