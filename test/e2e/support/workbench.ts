// Drives VS Code's workbench (code-server in Chromium) the way a person does: palette, Quick Open,
// Problems panel, status bar, hover, light bulb, suggestions. Selectors are the ones DESIGN.md lists as
// reliable, plus the editor widgets' own class names.
import { posix } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './poll';

// The callbacks given to page.evaluate run in the browser; the test project compiles without the DOM lib.
declare const requestAnimationFrame: (callback: () => void) => number;
type WithInnerText = { innerText: string };

export const SELECTORS = {
  workbenchReady: '.monaco-workbench .part.activitybar',
  explorerRows: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRows: '.quick-input-widget .quick-input-list .monaco-list-row',
  problemsPanel: '.markers-panel',
  problemsList: '.markers-panel .monaco-list',
  problemsRows: '.markers-panel .monaco-list-row',
  problemsFilter: 'input[placeholder^="Filter (e.g. text"]',
  notifications: '.notifications-toasts .notification-toast',
  statusBarItems: '.part.statusbar .statusbar-item',
  activeTab: '.part.editor .editor-group-container.active .tabs-container .tab.active',
  activeEditor: '.part.editor .editor-group-container.active .monaco-editor',
  hover: '.monaco-hover:not(.hidden)',
  codeActions: '.action-widget',
  codeActionRows: '.action-widget .monaco-list-row.action',
  suggest: '.suggest-widget.visible',
  suggestRows: '.suggest-widget.visible .monaco-list-row',
  runningExtensionsRows: '.runtime-extensions-editor .monaco-list-row',
} as const;

export type Severity = 'error' | 'warning' | 'info';

export interface ProblemRow {
  /** File name as the Problems panel groups it, and its folder (relative to the workspace). */
  file: string;
  folder: string;
  severity: Severity;
  message: string;
  source: string;
  /** The diagnostic code: our rule id. */
  code: string;
  /** The code's link (codeDescription.href). */
  href?: string;
  line: number;
  column: number;
}

export interface HoverContent {
  text: string;
  links: { text: string; href: string }[];
}

interface RawRow {
  index: number;
  last: boolean;
  level: number;
  label: string;
  severity?: string;
  message?: string;
  source?: string;
  code?: string;
  href?: string;
  position?: string;
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Loads the workbench and waits until the folder is listed (the remote file system answers). */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator(SELECTORS.workbenchReady).waitFor({ timeout: 90_000 });
    await this.page.locator(SELECTORS.explorerRows).first().waitFor({ timeout: 60_000 });
  }

  /** Two animation frames: lets a virtualised list render after a scroll. */
  async frames(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  }

  // ---- Quick input: palette, Quick Open, Go to Line -------------------------------------------------

  /** Closes the quick input shown now, and waits for that one to go (another may open right after). */
  async closeQuickInput(): Promise<void> {
    const widget = this.page.locator(SELECTORS.quickInput);
    if (!(await widget.isVisible())) return;
    const state = async () => {
      if (!(await widget.isVisible())) return undefined;
      const [title, value] = await Promise.all([
        widget.locator('.quick-input-title').textContent(),
        this.page.locator(SELECTORS.quickInputBox).inputValue(),
      ]);
      return `${title}\n${value}`;
    };
    const before = await state();
    await this.page.keyboard.press('Escape');
    await waitFor(async () => (await state()) !== before, { message: 'the quick input to close' });
  }

  private async openQuickInput(key: string, value: string): Promise<Locator> {
    await this.closeQuickInput();
    await this.page.keyboard.press(key);
    const box = this.page.locator(SELECTORS.quickInputBox);
    await box.waitFor({ state: 'visible' });
    await box.fill(value);
    return box;
  }

  /** The quick input's rows as [aria-label, visible text]. */
  async quickInputRows(): Promise<{ label: string; text: string; focused: boolean }[]> {
    return this.page.locator(SELECTORS.quickInputRows).evaluateAll((rows) =>
      rows.map((row) => ({
        label: row.getAttribute('aria-label') ?? '',
        text: (row as unknown as WithInnerText).innerText,
        focused: row.classList.contains('focused'),
      })),
    );
  }

  /** Moves the quick input's focus to the first row that matches, then presses Enter. */
  private async acceptQuickInputRow(
    matches: (row: { label: string; text: string }) => boolean,
    what: string,
    timeout = 20_000,
  ): Promise<void> {
    await waitFor(async () => (await this.quickInputRows()).some(matches), { message: `a quick input row for ${what}`, timeout });
    for (let step = 0; step < 50; step++) {
      const rows = await this.quickInputRows();
      const focused = rows.find((row) => row.focused);
      if (focused && matches(focused)) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not focus the quick input row for ${what}: ${JSON.stringify(await this.quickInputRows())}`);
  }

  /** Runs a command from the palette (F1) by its full title, e.g. "Fintech K8s: Scan Workspace". */
  async runCommand(title: string): Promise<void> {
    await this.openQuickInput('F1', `>${title}`);
    await this.acceptQuickInputRow(({ label }) => label === title || label.startsWith(`${title},`), `command "${title}"`);
  }

  /** Opens a workspace file by its relative path through Quick Open (Ctrl+P); resolves once its editor has focus. */
  async openFile(relativePath: string, { onAccept }: { onAccept?: () => void } = {}): Promise<void> {
    const base = posix.basename(relativePath);
    const folder = posix.dirname(relativePath);
    // aria-label: "payments-api.yaml payments, file results" (or "new.yaml, file results" at the root).
    const matches = ({ label, text }: { label: string; text: string }) =>
      (label.startsWith(`${base},`) || label.startsWith(`${base} `)) && (folder === '.' || text.includes(folder));
    // A file created a moment ago may miss Quick Open's first search: ask again with a fresh query.
    for (let attempt = 1; ; attempt++) {
      await this.openQuickInput('Control+P', relativePath);
      try {
        await this.acceptQuickInputRow(matches, `file ${relativePath}`, 10_000);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    onAccept?.();
    await this.waitForActiveEditor(base);
  }

  /** Waits until the active tab is `fileName` and its editor has keyboard focus (so typing lands in it). */
  async waitForActiveEditor(fileName: string): Promise<void> {
    await waitFor(async () => (await this.page.locator(SELECTORS.activeTab).getAttribute('aria-label'))?.startsWith(fileName), {
      message: `the active tab to be ${fileName}`,
    });
    await this.page.locator(`${SELECTORS.activeEditor}.focused`).waitFor({ state: 'visible' });
  }

  /** Puts the cursor at a 1-based line and column (Go to Line, Ctrl+G) and checks the status bar says so. */
  async goTo(line: number, column: number): Promise<void> {
    await this.openQuickInput('Control+G', `:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await waitFor(async () => (await this.statusBarText(/^Ln \d+, Col \d+/))?.startsWith(`Ln ${line}, Col ${column}`), {
      message: `the cursor at Ln ${line}, Col ${column}`,
    });
  }

  // ---- Status bar and notifications ----------------------------------------------------------------

  /** The text of the first status bar item that matches, or undefined when none does. */
  async statusBarText(pattern: RegExp): Promise<string | undefined> {
    const texts = await this.page.locator(SELECTORS.statusBarItems).allInnerTexts();
    return texts.map((text) => text.replace(/\s+/g, ' ').trim()).find((text) => pattern.test(text));
  }

  /** Waits for a notification toast whose text matches and returns that text. */
  async notification(pattern: RegExp, timeout = 60_000): Promise<string> {
    return waitFor(
      async () => {
        const texts = await this.page.locator(SELECTORS.notifications).allInnerTexts();
        return texts.find((text) => pattern.test(text));
      },
      { message: `a notification matching ${pattern}`, timeout },
    );
  }

  // ---- Problems panel ------------------------------------------------------------------------------

  async showProblems(): Promise<void> {
    const panel = this.page.locator(SELECTORS.problemsPanel);
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible' });
  }

  /** Types into the Problems filter box (text, or a glob such as `** /geth.yaml`); '' clears it. */
  async filterProblems(text: string): Promise<void> {
    await this.showProblems();
    const input = this.page.locator(SELECTORS.problemsFilter);
    await input.fill(text);
  }

  /**
   * Every row of the Problems panel, grouped under its file. The list is virtualised (only visible rows
   * exist in the DOM), so it is read while scrolling from top to bottom; a read that missed a row (the
   * list re-rendered meanwhile) is repeated.
   */
  async problems(): Promise<ProblemRow[]> {
    await this.showProblems();
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const rows = await this.readProblemRows();
      const indices = rows.map((row) => row.index);
      const contiguous = indices.every((index, i) => index === i);
      if (contiguous && (rows.length === 0 || rows[rows.length - 1].last)) return toProblems(rows);
      lastError = new Error(`incomplete read of the Problems panel: rows ${indices.join(',')}`);
      await this.frames();
    }
    throw lastError;
  }

  private async readProblemRows(): Promise<RawRow[]> {
    const rows = this.page.locator(SELECTORS.problemsRows);
    const box = await this.page.locator(SELECTORS.problemsList).first().boundingBox();
    const seen = new Map<number, RawRow>();
    const read = async () => {
      // No named helper functions in here: tsx would wrap them in __name(), which the page lacks.
      // Sticky scroll repeats a file's row above the list while its problems scroll by: skip those copies.
      const raw = await rows.evaluateAll((elements) =>
        elements
          .filter((row) => !row.closest('.monaco-tree-sticky-container'))
          .map((row) => {
            const [message, source, code, position] = ['.marker-message', '.marker-source', '.marker-code', '.marker-line'].map(
              (selector) => row.querySelector(selector)?.textContent?.trim() ?? undefined,
            );
            const icon = row.querySelector('.marker-icon');
            return {
              index: Number(row.getAttribute('data-index')),
              last: row.getAttribute('data-last-element') === 'true',
              level: Number(row.getAttribute('aria-level')),
              label: row.getAttribute('aria-label') ?? '',
              severity: icon ? ['error', 'warning', 'info'].find((name) => icon.classList.contains(name)) : undefined,
              message,
              source,
              code,
              href: row.querySelector('a.monaco-link')?.getAttribute('href') ?? undefined,
              position,
            };
          }),
      );
      let added = 0;
      for (const row of raw) {
        if (!seen.has(row.index)) added++;
        seen.set(row.index, row);
      }
      return added;
    };
    if (box && box.height > 0) {
      // The wheel goes to what is under the pointer: the rows' left indent, where no tooltip opens. The
      // list scrolls by one notch (~50 px) per wheel event whatever its delta, so it takes many.
      const offset = () =>
        this.page
          .locator(`${SELECTORS.problemsList} .monaco-list-rows`)
          .first()
          .evaluate((element) => (element as unknown as { style: { top: string } }).style.top);
      const toTop = async () => {
        for (let step = 0; step < 1_000 && !['', '0px', '-0px'].includes(await offset()); step++) {
          await this.page.mouse.wheel(0, -1_000);
          await this.frames();
        }
      };
      await this.page.mouse.move(box.x + 4, box.y + box.height / 2);
      await toTop();
      await read();
      for (let step = 0; step < 1_000; step++) {
        const before = await offset();
        await this.page.mouse.wheel(0, 1_000);
        await this.frames();
        await read();
        if ((await offset()) === before) break;
      }
      await toTop();
      await this.page.mouse.move(1, 1);
    } else {
      await read();
    }
    return [...seen.values()].sort((a, b) => a.index - b.index);
  }

  // ---- Editor: hover, quick fix, typing, suggestions -------------------------------------------------

  /** The visible hover's text and links (markdown links carry data-href, diagnostic codes href). */
  async hoverContent(): Promise<HoverContent | undefined> {
    const hover = this.page.locator(SELECTORS.hover).filter({ hasText: /\S/ });
    if ((await hover.count()) === 0) return undefined;
    return hover.first().evaluate((element) => ({
      text: (element as unknown as WithInnerText).innerText,
      links: [...element.querySelectorAll('a')].map((a) => ({
        text: (a as unknown as WithInnerText).innerText.trim(),
        href: a.getAttribute('data-href') || a.getAttribute('href') || '',
      })),
    }));
  }

  /** Shows the hover at a position with the keyboard (Ctrl+K Ctrl+I) and waits until `ready` holds for it. */
  async hoverAt(line: number, column: number, ready: (hover: HoverContent) => boolean = () => true): Promise<HoverContent> {
    await this.goTo(line, column);
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    return waitFor(
      async () => {
        const hover = await this.hoverContent();
        return hover && ready(hover) ? hover : undefined;
      },
      { message: `a hover at ${line}:${column}` },
    );
  }

  /** Opens the light bulb menu (Ctrl+.) at the cursor and returns the titles of the offered actions. */
  async openQuickFixMenu(): Promise<string[]> {
    await this.page.keyboard.press('Control+.');
    return waitFor(
      async () => {
        const titles = await this.page
          .locator(SELECTORS.codeActionRows)
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
        return titles.length > 0 ? titles : undefined;
      },
      { message: 'the quick fix menu' },
    );
  }

  /** In the open light bulb menu, focuses the action with this title and applies it (Enter). */
  async applyQuickFix(title: string): Promise<void> {
    const focusedTitle = () =>
      this.page
        .locator(`${SELECTORS.codeActionRows}.focused`)
        .getAttribute('aria-label', { timeout: 2_000 })
        .catch(() => null);
    for (let step = 0; step < 30; step++) {
      if ((await focusedTitle()) === title) {
        await this.page.keyboard.press('Enter');
        await this.page.locator(SELECTORS.codeActions).waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no quick fix titled "${title}"`);
  }

  /** Types into the focused editor, key by key. */
  async type(text: string): Promise<void> {
    await this.page.locator(`${SELECTORS.activeEditor}.focused`).waitFor({ state: 'visible' });
    await this.page.keyboard.type(text, { delay: 20 });
  }

  /** The suggestion widget's rows (aria-labels such as "fk-payment-api, Payment API (…), Snippet"). */
  async suggestions(): Promise<{ label: string; focused: boolean }[]> {
    return this.page
      .locator(SELECTORS.suggestRows)
      .evaluateAll((rows) =>
        rows.map((row) => ({ label: row.getAttribute('aria-label') ?? '', focused: row.classList.contains('focused') })),
      );
  }

  /** Waits for a suggestion whose label starts with `prefix` (asking with Ctrl+Space if none shows). */
  async waitForSuggestion(prefix: string): Promise<void> {
    const has = async () => (await this.suggestions()).some((row) => row.label.startsWith(prefix));
    try {
      await waitFor(has, { timeout: 5_000, message: `a suggestion ${prefix}` });
    } catch {
      await this.page.keyboard.press('Control+Space');
      await waitFor(has, { message: `a suggestion ${prefix} after Ctrl+Space` });
    }
  }

  /** Expands the focused suggestion's details (the snippet's preview): Ctrl+Space again, as a user would. */
  async showSuggestionDetails(): Promise<void> {
    const details = this.page.locator('.suggest-details-container .suggest-details');
    if (await details.isVisible()) return;
    await this.page.keyboard.press('Control+Space');
    await details.waitFor({ state: 'visible' });
  }

  /** Focuses the suggestion whose label starts with `prefix` and accepts it (Enter). */
  async acceptSuggestion(prefix: string): Promise<void> {
    for (let step = 0; step < 30; step++) {
      const focused = (await this.suggestions()).find((row) => row.focused);
      if (focused?.label.startsWith(prefix)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator(SELECTORS.suggest).waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no suggestion starting with "${prefix}": ${JSON.stringify(await this.suggestions())}`);
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await waitFor(
      async () => !((await this.page.locator(SELECTORS.activeTab).getAttribute('class')) ?? '').split(/\s+/).includes('dirty'),
      {
        message: 'the active editor to be saved',
      },
    );
  }

  // ---- Extension state -----------------------------------------------------------------------------

  /** Names of the output channels (Output: Show Output Channels…), filtered by `query`. */
  async outputChannels(query = ''): Promise<string[]> {
    const command = 'Output: Show Output Channels...';
    await this.runCommand(command);
    const box = this.page.locator(SELECTORS.quickInputBox);
    // The picker reuses the palette's widget: wait until its rows are channels, not the command.
    await waitFor(
      async () => {
        const rows = await this.quickInputRows();
        return rows.length > 0 && !rows.some((row) => row.label.startsWith(command)) && (await box.inputValue()) === '';
      },
      { message: 'the output channel picker' },
    );
    await box.fill(query);
    await this.frames();
    const labels = (await this.quickInputRows()).map((row) => row.label);
    await this.closeQuickInput();
    return labels;
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
}

/** Problems panel rows (files at level 1, their problems at level 2) → problems with their file. */
function toProblems(rows: RawRow[]): ProblemRow[] {
  const problems: ProblemRow[] = [];
  let file = '';
  let folder = '';
  for (const row of rows) {
    if (row.level === 1) {
      const match = /in file (.+?)(?: of folder (.+))?$/.exec(row.label);
      file = match?.[1] ?? row.label;
      folder = match?.[2] ?? '';
      continue;
    }
    const position = /Ln (\d+), Col (\d+)/.exec(row.position ?? '');
    if (!row.severity || !position) continue; // e.g. a related-information child row
    problems.push({
      file,
      folder,
      severity: row.severity as Severity,
      message: row.message ?? '',
      source: row.source ?? '',
      code: row.code ?? '',
      href: row.href,
      line: Number(position[1]),
      column: Number(position[2]),
    });
  }
  return problems;
}
