// The extension's manifest as VS Code loaded it (package.json), and what it says about Workspace Trust.
import { extension } from './workspace';

export interface ContributedCommand {
  command: string;
  title: string;
  enablement?: string;
}

export interface MenuItem {
  command: string;
  when?: string;
}

/** Commands that reach a cluster or run programs: disabled in Restricted Mode, and refusing when run anyway. */
export const TRUST_COMMANDS = ['fintechK8s.deployFile', 'fintechK8s.deploySelection', 'fintechK8s.tailLogs'];

export function contributedCommands(): ContributedCommand[] {
  return extension().packageJSON.contributes.commands as ContributedCommand[];
}

/** Every menu entry of the manifest, from all menus. */
export function menuItems(): MenuItem[] {
  const menus = extension().packageJSON.contributes.menus as Record<string, MenuItem[]>;
  return Object.values(menus).flat();
}

/** `isWorkspaceTrusted` as a required term of a when/enablement clause (not negated, not in an `||`). */
export function requiresTrust(clause: string | undefined): boolean {
  if (!clause || clause.includes('||')) return false;
  return clause.split('&&').some((term) => term.trim() === 'isWorkspaceTrusted');
}
