// fintechK8s/renderRoot and fintechK8s/locateRendered: the deploy gate of Deploy Chart and Deploy Overlay.
// The chart or overlay is rendered by the same render layer as the editor and the CLI, linted by the same
// engine, and its findings come back on the template, values, base, patch or kustomization lines. The
// rendered objects go to the client without build metadata; the render is kept for a while so dry-run
// errors on rendered fields can be put back on their source lines too.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../engine/engine';
import type { FileResult } from '../../engine/types';
import type {
  HelmReleaseOptions,
  LocateRenderedParams,
  LocateRenderedResult,
  RenderRootParams,
  RenderRootResult,
  RenderRootProblem,
} from '../../protocol';
import { deployableDocuments, joinDocuments, markerFinding, type DeployableDocument } from '../../render/deployable-manifests';
import type { RenderedRoot } from '../../render/types';
import type { SettingsProvider } from '../settings';
import { analyzedFinding } from './analyze';

/** Renders the root at (or around) params.uri: the render layer, with the settings of that root. */
export type RootRenderer = (params: RenderRootParams) => Promise<{ rendered: RenderedRoot; helm?: HelmReleaseOptions }>;

interface KeptRender {
  rendered: RenderedRoot;
  documents: DeployableDocument[];
}

/** Renders a client may still ask about (it asks right after its dry run). */
const KEPT_RENDERS = 4;

export class RenderRootHandler {
  private readonly kept = new Map<string, KeptRender>();

  constructor(
    private readonly settings: SettingsProvider,
    private readonly renderer: RootRenderer,
  ) {}

  async render(params: RenderRootParams): Promise<RenderRootResult> {
    const { rendered, helm } = await this.renderer(params);
    const dirUri = pathToFileURL(rendered.root.dir).href;
    const { config } = await this.settings.forDocument(`${dirUri}/${rendered.root.kind === 'helm' ? 'Chart.yaml' : 'kustomization.yaml'}`);
    // The rendered objects stand alone: what else the workspace holds is not what this chart or overlay deploys.
    const results = rendered.toSources(analyze(rendered.files, { config }));
    const documents = deployableDocuments(rendered.files);
    const renderId = randomUUID();
    this.keep(renderId, { rendered, documents });
    return {
      renderId,
      dir: rendered.root.dir,
      manifests: joinDocuments(documents),
      findings: results.flatMap((result) => result.findings.map((f) => ({ uri: uriOf(f.file), ...analyzedFinding(f) }))),
      problems: [...rendered.problems, ...results.flatMap((r) => r.problems)].map((p): RenderRootProblem => ({
        code: p.code,
        severity: p.severity,
        message: p.message,
        uri: uriOf(p.file),
        line: p.range.start.line,
      })),
      ...(helm ? { helm } : {}),
    };
  }

  locate(params: LocateRenderedParams): LocateRenderedResult {
    const kept = this.kept.get(params.renderId);
    return {
      locations: params.locations.map(({ docIndex, path }) => {
        const document = kept?.documents[docIndex];
        const marker = kept && document && markerFinding(kept.rendered.files, document, path);
        if (!kept || !marker) return null;
        const result: FileResult = { file: marker.file, findings: [marker], problems: [], objects: [] };
        const mapped = kept.rendered.toSources([result]).flatMap((r) => r.findings)[0];
        return mapped ? { uri: uriOf(mapped.file), range: mapped.range } : null;
      }),
    };
  }

  private keep(id: string, render: KeptRender): void {
    this.kept.set(id, render);
    for (const old of this.kept.keys()) if (this.kept.size > KEPT_RENDERS) this.kept.delete(old);
  }
}

function uriOf(file: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(file) ? file : pathToFileURL(file).href;
}
