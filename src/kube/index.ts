// The cluster layer's public surface, imported by the VS Code client (lazily: client-node is heavy).
export {};
