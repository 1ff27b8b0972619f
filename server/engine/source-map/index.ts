// Results on rendered text → results on the files people edit. Pure: renderers (which run programs and
// live outside the engine) hand over the texts; this maps paths and lines.
export { remapResults } from './remap';
export { helmSourceMapper, type ChartSourceFile, type HelmChartSources, type RenderedDocument } from './helm-map';
