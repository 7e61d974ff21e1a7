// The whole client: start `kubelint lsp --stdio` for YAML files and let vscode-languageclient
// carry diagnostics, code actions (quick fixes, "fix all" on save when asked) and hover.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const config = vscode.workspace.getConfiguration("kubelint");
  const command = config.get<string>("path", "kubelint");
  const args = config.get<string[]>("args", ["lsp", "--stdio"]);
  return { command, args };
}

const clientOptions: LanguageClientOptions = {
  documentSelector: [{ scheme: "file", language: "yaml" }],
  synchronize: {
    // the server re-reads its config and the workspace's CRDs when these change on disk
    fileEvents: vscode.workspace.createFileSystemWatcher("**/{.kubelint.yaml,.kubelint.yml,*.yaml,*.yml,*.json}"),
  },
};

async function start(): Promise<void> {
  client = new LanguageClient("kubelint", "kubelint", serverOptions(), clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("kubelint.restart", async () => {
      await client?.stop();
      await start();
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
