export const YAML_FILES_GLOB = '**/*.{yaml,yml}';
