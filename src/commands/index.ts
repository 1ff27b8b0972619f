// The command table: command id → factory taking the Ctx. package.json declares the same ids.
import type { Ctx } from '../ctx';
import { refreshClusters, switchContext, switchNamespace } from './cluster';
import { deployFile, deploySelection } from './deploy';
import { deployChart, deployOverlay } from './deploy-rendered';
import { rollbackRelease } from './helm-rollback';
import { stopLogs, tailLogs } from './logs';
import { newChartFromTemplate } from './new-chart';
import { newManifestFromTemplate } from './new-manifest';
import { complianceReport } from './report';
import { scanWorkspace } from './scan-workspace';
import { suppressWithReason } from './suppress';
import { SUPPRESS_COMMAND } from '../../server/protocol';

/** Each command takes its own arguments (a tree node, a URI…); the table only needs to call it. */
export type CommandFactory = (ctx: Ctx) => (...args: never[]) => unknown;

export function createCommands(): Record<string, CommandFactory> {
  return {
    'fintechK8s.scanWorkspace': scanWorkspace,
    'fintechK8s.newManifestFromTemplate': newManifestFromTemplate,
    'fintechK8s.newChartFromTemplate': newChartFromTemplate,
    'fintechK8s.complianceReport': complianceReport,
    'fintechK8s.deployFile': deployFile,
    'fintechK8s.deploySelection': deploySelection,
    'fintechK8s.deployChart': deployChart,
    'fintechK8s.deployOverlay': deployOverlay,
    'fintechK8s.rollbackRelease': rollbackRelease,
    'fintechK8s.tailLogs': tailLogs,
    'fintechK8s.stopLogs': stopLogs,
    'fintechK8s.refreshClusters': refreshClusters,
    'fintechK8s.switchContext': switchContext,
    'fintechK8s.switchNamespace': switchNamespace,
    [SUPPRESS_COMMAND]: suppressWithReason,
  };
}
