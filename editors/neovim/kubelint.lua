-- kubelint's language server for Neovim's built-in LSP client (0.7 and later), no plugin needed.
-- Put this file on your runtimepath (e.g. ~/.config/nvim/lua/kubelint.lua) and call
--   require("kubelint").setup()
-- or, with nvim-lspconfig, see the Editors section of README.md. Needs `pip install 'kubelint[lsp]'`.
local M = {}

local function root_of(path)
  local markers = { ".kubelint.yaml", ".kubelint.yml", ".git" }
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return vim.fn.fnamemodify(path, ":p:h")
    end
    dir = parent
  end
end

local clients = {} -- root → client id (Neovim 0.7 has no vim.lsp.start to reuse one)

function M.attach(bufnr, opts)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return nil
  end
  local root = root_of(name)
  local config = {
    name = "kubelint",
    cmd = opts.cmd or { "kubelint", "lsp", "--stdio" },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
  }
  if vim.lsp.start then -- 0.8+: reuses a running client for the same root
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

function M.setup(opts)
  opts = opts or {}
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "yaml",
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
end

return M
