import { asMap, asString, ownValue } from '../../objects';
import type { Path, Rule } from '../../types';

interface Encryption {
  /** The parameter that turns on (customer-managed) encryption, as documented. */
  parameter: string;
  /** true: the parameter must be "true"; false: it must name a key or key set. */
  flag: boolean;
  /** What happens without it, for the message. */
  otherwise: string;
}

const EBS: Encryption = {
  parameter: 'encrypted',
  flag: true,
  otherwise: 'its volumes are unencrypted unless the AWS account enforces EBS encryption by default',
};
const GCE: Encryption = {
  parameter: 'disk-encryption-kms-key',
  flag: false,
  otherwise: 'its disks are encrypted only with Google-managed keys, outside your key management',
};
const AZURE: Encryption = {
  parameter: 'diskEncryptionSetID',
  flag: false,
  otherwise: 'its disks are encrypted only with platform-managed keys, outside your key management',
};
const CEPH_RBD: Encryption = { parameter: 'encrypted', flag: true, otherwise: 'its RBD images are stored unencrypted' };
const LONGHORN: Encryption = { parameter: 'encrypted', flag: true, otherwise: 'its volumes are stored unencrypted on the nodes' };

// Provisioners whose encryption parameter we know. Others (local-path, NFS, vendor arrays) encrypt,
// if at all, outside the StorageClass, so we stay silent rather than guess.
const PROVISIONERS: Record<string, Encryption> = {
  'ebs.csi.aws.com': EBS,
  'kubernetes.io/aws-ebs': EBS,
  'pd.csi.storage.gke.io': GCE,
  'kubernetes.io/gce-pd': GCE,
  'disk.csi.azure.com': AZURE,
  'kubernetes.io/azure-disk': AZURE,
  'rbd.csi.ceph.com': CEPH_RBD,
  'driver.longhorn.io': LONGHORN,
};

export const storageclassUnencrypted: Rule = {
  id: 'storageclass-unencrypted',
  group: 'storage',
  title: 'StorageClasses must encrypt volumes with a managed key',
  severity: 'warning',
  rationale:
    'Database and ledger volumes provisioned from this class may hold cardholder data; without disk encryption under a key you control, a leaked snapshot or a decommissioned disk exposes it in the clear.',
  remediation:
    'Set the provisioner’s encryption parameter: `encrypted: "true"` (and `kmsKeyId`) for AWS EBS, `disk-encryption-kms-key` for GCE PD, `diskEncryptionSetID` for Azure Disk, `encrypted: "true"` for Ceph RBD and Longhorn.',
  references: { pci: ['3.5.1'] },
  check(object, context) {
    if (object.kind !== 'StorageClass') return;
    const provisioner = asString(object.value.provisioner);
    const encryption = provisioner ? ownValue(PROVISIONERS, provisioner) : undefined;
    if (!provisioner || !encryption) return;
    const parameters = asMap(object.value.parameters);
    // The CSI drivers read parameter names case-insensitively.
    const wanted = encryption.parameter.toLowerCase();
    const key = parameters && Object.keys(parameters).find((k) => k.toLowerCase() === wanted);
    const raw = key === undefined ? undefined : parameters![key];
    const value = raw === undefined || raw === null ? '' : String(raw).trim();
    const ok = encryption.flag ? value.toLowerCase() === 'true' : value !== '';
    if (ok) return;
    const path: Path =
      key !== undefined
        ? [...object.path, 'parameters', key]
        : parameters
          ? [...object.path, 'parameters', encryption.parameter]
          : [...object.path, 'provisioner'];
    const what = encryption.flag ? `${encryption.parameter}: "true"` : encryption.parameter;
    const hasKmsKey = encryption === EBS && parameters && Object.keys(parameters).some((k) => k.toLowerCase() === 'kmskeyid');
    context.report({
      path,
      message:
        `StorageClass "${object.name}" (${provisioner}) ${key !== undefined && value !== '' ? `sets ${key}: "${value}"` : `does not set ${what}`}: ${encryption.otherwise}` +
        (hasKmsKey ? '; kmsKeyId is ignored unless encrypted is "true".' : '.'),
    });
  },
};
