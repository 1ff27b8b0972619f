// The cluster side of the workbench as a person uses it: the Fintech K8s activity bar view (Clusters tree),
// modal dialogs, quick picks and input boxes shown by the extension, the Output panel and notifications.
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './poll';
import { SELECTORS, type Workbench } from './workbench';

type WithInnerText = { innerText: string };

export const CLUSTER_SELECTORS = {
  activityBarItem: '.part.activitybar a.action-label[aria-label^="Fintech K8s"]',
  clustersList: '.part.sidebar .monaco-list[aria-label="Clusters"]',
  sidebar: '.part.sidebar',
  sidebarTitleAction: '.part.sidebar .composite.title .action-label',
  dialog: '.monaco-dialog-box',
  dialogButtons: '.monaco-dialog-box .dialog-buttons .monaco-button',
  quickInputTitle: '.quick-input-widget .quick-input-title',
  outputChannelSelect: '.part.panel select.monaco-select-box',
  outputLines: '.part.panel .output-view .view-line',
  editorTabs: '.part.editor .tabs-container .tab',
  diffEditor: '.part.editor .editor-group-container.active .monaco-diff-editor',
  contextStatusItem: '.part.statusbar .statusbar-item[id$="fintechK8s.context"]',
  notificationsBell: '.part.statusbar .statusbar-item[id="status.notifications"]',
  notificationsCenter: '.notifications-center',
  notificationsCenterItems: '.notifications-center .notification-list-item',
} as const;

export interface TreeRow {
  /** Position in the flattened tree (data-index). */
  index: number;
  /** Depth, 1 for contexts. */
  level: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
  label: string;
  description: string;
  /** The codicon of the item's icon, e.g. "vm-active", "error", "pass-filled". */
  icon: string;
  /** Titles of the row's inline actions. */
  actions: string[];
}

export interface Dialog {
  message: string;
  detail: string;
  buttons: string[];
  /** "info", "warning" or "error" (the dialog's codicon). */
  icon: string;
}

const nbsp = /\u00a0/g;

/** The Clusters tree of the Fintech K8s view container. Rows are read from the DOM (the list is virtualised). */
export class ClustersView {
  readonly list: Locator;

  constructor(private readonly wb: Workbench) {
    this.list = wb.page.locator(CLUSTER_SELECTORS.clustersList);
  }

  private get page(): Page {
    return this.wb.page;
  }

  /** Opens the view from the activity bar (a click, as a user does) unless it is already showing. */
  async open(): Promise<void> {
    if (!(await this.list.isVisible())) await this.page.locator(CLUSTER_SELECTORS.activityBarItem).click();
    await this.list.waitFor({ state: 'visible' });
  }

  /** Drags the sidebar's sash so that long descriptions (badges) fit. */
  async setSidebarWidth(width: number): Promise<void> {
    const box = await this.page.locator(CLUSTER_SELECTORS.sidebar).boundingBox();
    if (!box || Math.abs(box.width - width) < 4) return;
    const x = box.x + box.width - 1;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + (width - box.width) / 2, y, { steps: 5 });
    await this.page.mouse.move(x + (width - box.width), y, { steps: 5 });
    await this.page.mouse.up();
    await waitFor(async () => Math.abs(((await this.page.locator(CLUSTER_SELECTORS.sidebar).boundingBox())?.width ?? 0) - width) < 8, {
      message: `the sidebar ${width} px wide`,
      timeout: 5_000,
    });
  }

  /** Runs one of the view's title actions ("Refresh Clusters", "Collapse All"). */
  async titleAction(title: string): Promise<void> {
    await this.open();
    await this.page.locator(`${CLUSTER_SELECTORS.sidebarTitleAction}[aria-label="${title}"]`).click();
  }

  /** The rows rendered now, in tree order. */
  async visibleRows(): Promise<TreeRow[]> {
    const rows = await this.list.locator('.monaco-list-row').evaluateAll((elements) =>
      elements
        .filter((row) => !row.closest('.monaco-tree-sticky-container'))
        .map((row) => {
          const icon = row.querySelector('.custom-view-tree-node-item-icon')?.className ?? '';
          const expanded = row.getAttribute('aria-expanded');
          return {
            index: Number(row.getAttribute('data-index')),
            level: Number(row.getAttribute('aria-level')),
            expanded: expanded === null ? undefined : expanded === 'true',
            label: row.querySelector('.label-name')?.textContent ?? '',
            description: row.querySelector('.label-description')?.textContent ?? '',
            icon: /codicon-([\w-]+)/.exec(icon)?.[1] ?? '',
            actions: [...row.querySelectorAll('.actions .action-label')].map((a) => a.getAttribute('aria-label') ?? ''),
          };
        }),
    );
    return rows.map((row) => ({ ...row, label: row.label.replace(nbsp, ' '), description: row.description.replace(nbsp, ' ') }));
  }

  private scrollTop(): Promise<number> {
    return this.list
      .locator('.monaco-list-rows')
      .first()
      .evaluate((element) => -parseFloat((element as unknown as { style: { top: string } }).style.top || '0'));
  }

  /**
   * Every row of the tree, read while scrolling from top to bottom with the mouse wheel (only rows in view
   * exist in the DOM). The list is left scrolled to the top.
   */
  async allRows(): Promise<TreeRow[]> {
    const seen = new Map<number, TreeRow>();
    const read = async () => {
      for (const row of await this.visibleRows()) seen.set(row.index, row);
    };
    const box = await this.list.boundingBox();
    if (!box) return [];
    await this.page.mouse.move(box.x + 4, box.y + box.height / 2);
    for (let step = 0; step < 200 && (await this.scrollTop()) > 0; step++) {
      await this.page.mouse.wheel(0, -2_000);
      await this.wb.frames();
    }
    await read();
    for (let step = 0; step < 200; step++) {
      const before = await this.scrollTop();
      await this.page.mouse.wheel(0, 400);
      await this.wb.frames();
      await read();
      if ((await this.scrollTop()) === before) break;
    }
    for (let step = 0; step < 200 && (await this.scrollTop()) > 0; step++) {
      await this.page.mouse.wheel(0, -2_000);
      await this.wb.frames();
    }
    const rows = [...seen.values()].sort((a, b) => a.index - b.index);
    // A refresh while scrolling can leave a gap or stale rows: the caller's waitFor asks again.
    if (rows.some((row, i) => row.index !== i))
      throw new Error(`incomplete read of the Clusters tree: ${rows.map((r) => r.index).join(',')}`);
    return rows;
  }

  /**
   * Finds the row at `path` (labels from a context down, e.g. ['test-admin', 'payments', 'Workloads']) among
   * `rows`; returns it and its direct children (rows one level deeper up to the next sibling).
   */
  static locate(rows: TreeRow[], path: string[]): { row: TreeRow; children: TreeRow[] } | undefined {
    let start = 0;
    let end = rows.length;
    let found: TreeRow | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const level = depth + 1;
      const position = rows.slice(start, end).findIndex((row) => row.level === level && row.label === path[depth]);
      if (position < 0) return undefined;
      const at = start + position;
      found = rows[at];
      start = at + 1;
      const next = rows.slice(start).findIndex((row) => row.level <= level);
      end = next < 0 ? rows.length : start + next;
    }
    const children = rows.slice(start, end).filter((row) => row.level === path.length + 1);
    return { row: found!, children };
  }

  /** Scrolls until the row with this index is rendered; returns its locator. */
  private async reveal(index: number): Promise<Locator> {
    const row = this.list.locator(`.monaco-list-row[data-index="${index}"]`);
    if (await row.count()) return row;
    const box = (await this.list.boundingBox())!;
    await this.page.mouse.move(box.x + 4, box.y + box.height / 2);
    for (let step = 0; step < 400; step++) {
      const rows = await this.visibleRows();
      const direction = rows.length && index < rows[0].index ? -1 : 1;
      await this.page.mouse.wheel(0, direction * 200);
      await this.wb.frames();
      if (await row.count()) return row;
    }
    throw new Error(`row ${index} of the Clusters tree never came into view`);
  }

  /** The node at `path` and its children, once `ready` holds for them (children of expanded nodes load lazily). */
  async node(
    path: string[],
    ready: (node: { row: TreeRow; children: TreeRow[] }) => boolean = () => true,
    timeout = 20_000,
  ): Promise<{ row: TreeRow; children: TreeRow[] }> {
    return waitFor(
      async () => {
        const found = ClustersView.locate(await this.allRows(), path);
        return found && ready(found) ? found : undefined;
      },
      { message: `the Clusters tree node ${path.join(' → ')}`, timeout, interval: 250 },
    );
  }

  /**
   * Expands every node along `path` (clicking the collapsed ones, as a user does) and waits until the last
   * one shows children other than the tree's own loading placeholder. Returns the last node.
   */
  async expand(path: string[], timeout = 30_000): Promise<{ row: TreeRow; children: TreeRow[] }> {
    await this.open();
    let node: { row: TreeRow; children: TreeRow[] } | undefined;
    for (let depth = 1; depth <= path.length; depth++) {
      const sub = path.slice(0, depth);
      node = await this.node(sub, undefined, timeout);
      if (!node.row.expanded) {
        const element = await this.reveal(node.row.index);
        const label = await element.locator('.label-name').textContent();
        if (label !== node.row.label) throw new Error(`the tree changed under the pointer: row ${node.row.index} is now ${label}`);
        await element.click();
      }
      node = await this.node(sub, (n) => n.row.expanded === true && n.children.length > 0, timeout);
    }
    return node!;
  }

  /** The DOM row at a flattened index, scrolled into view. */
  rowElement(index: number): Promise<Locator> {
    return this.reveal(index);
  }

  /** Hovers the row at `path` and clicks its inline action `title` (e.g. "Tail Logs"). */
  async inlineAction(path: string[], title: string): Promise<void> {
    const node = await this.node(path);
    const element = await this.reveal(node.row.index);
    await element.hover();
    await element.locator(`.actions .action-label[aria-label="${title}"]`).click();
  }
}

/** Right-clicks the row at `path` and runs `title` from its context menu (e.g. "Rollback Release…"). */
export async function treeContextAction(view: ClustersView, page: Page, path: string[], title: string): Promise<void> {
  const node = await view.node(path);
  const element = await view.rowElement(node.row.index);
  await element.click({ button: 'right' });
  // The menu lives in a shadow root, which Playwright's CSS locators pierce. It is driven with the keyboard
  // (as the menu itself offers): a click right after it opened under the pointer can be swallowed.
  const items = page.locator('.context-view .monaco-menu .action-item');
  await items.filter({ hasText: title }).first().waitFor({ state: 'visible' });
  for (let step = 0; step < 30; step++) {
    const focused = page.locator('.context-view .monaco-menu .action-item.focused');
    if ((await focused.count()) > 0 && (await focused.first().innerText()).trim().startsWith(title)) {
      await page.keyboard.press('Enter');
      await items.first().waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus "${title}" in the context menu`);
}

// ---- Modal dialogs (showInformationMessage/showWarningMessage/showErrorMessage with modal: true) -----

/** Waits for a modal dialog whose message matches and returns what it says. */
export async function waitForDialog(page: Page, message: RegExp, timeout = 60_000): Promise<Dialog> {
  return waitFor(
    async () => {
      const box = page.locator(CLUSTER_SELECTORS.dialog);
      if (!(await box.isVisible())) return undefined;
      const dialog = await box.evaluate((element) => ({
        message: (element.querySelector('.dialog-message-text') as unknown as WithInnerText | null)?.innerText ?? '',
        detail: (element.querySelector('.dialog-message-detail') as unknown as WithInnerText | null)?.innerText ?? '',
        buttons: [...element.querySelectorAll('.dialog-buttons .monaco-button')].map((b) =>
          (b as unknown as WithInnerText).innerText.trim(),
        ),
        icon: /codicon-dialog-(\w+)/.exec(element.querySelector('.dialog-icon')?.className ?? '')?.[1] ?? '',
      }));
      return message.test(dialog.message) ? dialog : undefined;
    },
    { message: `a modal dialog matching ${message}`, timeout },
  );
}

/**
 * Clicks a button of the open modal dialog and waits until THAT dialog is gone: not until no dialog is
 * shown, since the next one (Apply after the production confirmation) may open at once and never hide.
 */
export async function clickDialogButton(page: Page, label: string): Promise<void> {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const shown = async () => {
    const box = page.locator(CLUSTER_SELECTORS.dialog);
    if (!(await box.isVisible())) return undefined;
    return box.evaluate((element) => ({
      message: (element.querySelector('.dialog-message-text') as unknown as WithInnerText | null)?.innerText ?? '',
      buttons: [...element.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => (b as unknown as WithInnerText).innerText.trim()),
    }));
  };
  const before = await shown();
  if (!before) throw new Error(`no dialog is open to click "${label}" in`);
  await page.locator(CLUSTER_SELECTORS.dialogButtons).filter({ hasText: exact }).click();
  await waitFor(
    async () => {
      const now = await shown();
      return !now || now.message !== before.message || now.buttons.join('\n') !== before.buttons.join('\n');
    },
    { message: `the dialog "${before.message}" to close after "${label}"` },
  );
}

// ---- Quick picks and input boxes opened by the extension ---------------------------------------------

/** Waits for a quick input with this title (a quick pick or an input box) and returns its rows. */
export async function waitForQuickInput(
  wb: Workbench,
  title: string | RegExp,
): Promise<{ label: string; text: string; focused: boolean }[]> {
  const matches = (text: string | null) => (typeof title === 'string' ? text === title : title.test(text ?? ''));
  await waitFor(
    async () =>
      (await wb.page.locator(SELECTORS.quickInput).isVisible()) &&
      matches(await wb.page.locator(CLUSTER_SELECTORS.quickInputTitle).textContent()),
    { message: `a quick input titled ${title}` },
  );
  return wb.quickInputRows();
}

/** In the open quick pick, moves the focus to the first row that matches and accepts it (Enter). */
export async function pickQuickInputRow(wb: Workbench, matches: (label: string) => boolean, what: string): Promise<void> {
  await waitFor(async () => (await wb.quickInputRows()).some((row) => matches(row.label)), { message: `a quick pick row for ${what}` });
  for (let step = 0; step < 50; step++) {
    const focused = (await wb.quickInputRows()).find((row) => row.focused);
    if (focused && matches(focused.label)) {
      await wb.page.keyboard.press('Enter');
      return;
    }
    await wb.page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not focus the quick pick row for ${what}: ${JSON.stringify(await wb.quickInputRows())}`);
}

/** The value of the open input box, then replaces it with `value` and accepts (Enter). */
export async function answerInputBox(wb: Workbench, title: string, value: string | undefined): Promise<string> {
  await waitForQuickInput(wb, title);
  const box = wb.page.locator(SELECTORS.quickInputBox);
  const before = await box.inputValue();
  if (value !== undefined) await box.fill(value);
  await wb.page.keyboard.press('Enter');
  return before;
}

// ---- Output panel and notifications -----------------------------------------------------------------

/** The Output panel's selected channel. */
export async function selectedOutputChannel(page: Page): Promise<string | undefined> {
  const select = page.locator(CLUSTER_SELECTORS.outputChannelSelect).first();
  if (!(await select.isVisible())) return undefined;
  return select.evaluate((element) => {
    const s = element as unknown as { selectedIndex: number; options: { text: string }[] };
    return s.options[s.selectedIndex]?.text;
  });
}

/** The lines the Output panel shows, top to bottom (its editor renders the lines in view; ours are few). */
export async function outputLines(page: Page): Promise<string[]> {
  const lines = await page.locator(CLUSTER_SELECTORS.outputLines).evaluateAll((elements) =>
    elements.map((line) => ({
      top: parseFloat((line as unknown as { style: { top: string } }).style.top || '0'),
      text: (line as unknown as WithInnerText).innerText,
    })),
  );
  return lines
    .sort((a, b) => a.top - b.top)
    .map((line) => line.text.replace(nbsp, ' '))
    .filter((text, i, all) => !(i === all.length - 1 && text === ''));
}

/** Every notification toast's text now. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator(SELECTORS.notifications).allInnerTexts();
}

/** The notifications center's messages: opened with the status bar bell, read, closed again. */
export async function notificationCenterTexts(page: Page): Promise<string[]> {
  const center = page.locator(CLUSTER_SELECTORS.notificationsCenter);
  const bell = page.locator(CLUSTER_SELECTORS.notificationsBell);
  if (!(await center.isVisible())) await bell.click();
  await center.waitFor({ state: 'visible' });
  const texts = await page.locator(CLUSTER_SELECTORS.notificationsCenterItems).allInnerTexts();
  await bell.click();
  await center.waitFor({ state: 'hidden' });
  return texts;
}

/**
 * Waits for a notification whose text matches. VS Code shows at most a few toasts at once: a message that
 * arrives while progress toasts fill them goes straight to the notifications center (the bell), so the
 * center is read too, every few seconds.
 */
export async function waitForNotification(page: Page, pattern: RegExp, timeout = 60_000): Promise<string> {
  let centerReadAt = Date.now();
  return waitFor(
    async () => {
      const toast = (await notificationTexts(page)).find((text) => pattern.test(text));
      if (toast) return toast;
      if (Date.now() - centerReadAt < 2_000) return undefined;
      centerReadAt = Date.now();
      return (await notificationCenterTexts(page)).find((text) => pattern.test(text));
    },
    { message: `a notification matching ${pattern} (toast or notifications center)`, timeout, interval: 200 },
  );
}

/** Clears the notifications left by earlier steps, so the next wait sees only new ones. */
export async function clearNotifications(wb: Workbench): Promise<void> {
  await wb.runCommand('Notifications: Clear All Notifications');
  await waitFor(async () => (await notificationTexts(wb.page)).length === 0, { message: 'no notification toasts', timeout: 5_000 });
}

/** The tabs of the editor area (aria-labels). */
export async function editorTabs(page: Page): Promise<string[]> {
  return page.locator(CLUSTER_SELECTORS.editorTabs).evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('aria-label') ?? ''));
}

/** The Fintech K8s context item of the status bar: its text, whether it has the warning colour, its codicon. */
export async function contextStatusItem(page: Page): Promise<{ text: string; warning: boolean; icon: string } | undefined> {
  const item = page.locator(CLUSTER_SELECTORS.contextStatusItem);
  if (!(await item.isVisible())) return undefined;
  return item.evaluate((element) => ({
    text: (element as unknown as WithInnerText).innerText.replace(/\s+/g, ' ').trim(),
    warning: element.classList.contains('warning-kind'),
    icon: /codicon-([\w-]+)/.exec(element.querySelector('.codicon')?.className ?? '')?.[1] ?? '',
  }));
}
