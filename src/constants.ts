export const CONFIG_FILE_NAME_GLOB = '**/.fintech-k8s.yaml';
export const YAML_FILES_GLOB = '**/*.{yaml,yml}';
