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

/**
 * Commands that change a cluster, run helm or kustomize, or read pod logs: disabled in Restricted Mode, and
 * refusing when run anyway. A new command of that kind belongs here and needs `enablement: isWorkspaceTrusted`.
 */
export const TRUST_COMMANDS = [
  'fintechK8s.deployFile',
  'fintechK8s.deploySelection',
  'fintechK8s.deployChart',
  'fintechK8s.deployOverlay',
  'fintechK8s.rollbackRelease',
  'fintechK8s.tailLogs',
];

export function contributedCommands(): ContributedCommand[] {
  return extension().packageJSON.contributes.commands as ContributedCommand[];
}

/** Every menu entry of the manifest, from all menus. */
export function menuItems(): MenuItem[] {
  const menus = extension().packageJSON.contributes.menus as Record<string, MenuItem[]>;
  return Object.values(menus).flat();
}

/** Whether a when/enablement clause holds only with `isWorkspaceTrusted` (`&&` binds tighter than `||`). */
export function requiresTrust(clause: string | undefined): boolean {
  if (!clause) return false;
  return topLevel(clause, '||').every((alternative) =>
    topLevel(alternative, '&&').some(
      (term) => term === 'isWorkspaceTrusted' || (term.startsWith('(') && term.endsWith(')') && requiresTrust(term.slice(1, -1))),
    ),
  );
}

/** The parts of `clause` between occurrences of `operator` outside parentheses, trimmed. */
function topLevel(clause: string, operator: '&&' | '||'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < clause.length; i++) {
    if (clause[i] === '(') depth++;
    else if (clause[i] === ')') depth--;
    else if (depth === 0 && clause.startsWith(operator, i)) {
      parts.push(clause.slice(start, i).trim());
      start = i + operator.length;
    }
  }
  parts.push(clause.slice(start).trim());
  return parts;
}
