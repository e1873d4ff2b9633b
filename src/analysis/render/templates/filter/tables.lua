-- A `.tabel` div: the table, then its source line and notes. A column whose cells are all
-- numbers is right-aligned, every other column is left-aligned. In typst all of it becomes one
-- `kpb-tabel` call (report.typ): column widths from the content (short columns as wide as they
-- need, long text columns share the rest, see columns.lua), header rows repeated on every page,
-- and the source line and notes kept with the table.

local columns_of = require("filter.columns")
local typst = require("filter.typst")

-- A table estimated to take more lines than this may break across pages; shorter ones never do.
local LONG_TABLE_LINES = 30

local M = {}

local function align_columns(tbl, columns)
  for i, spec in ipairs(tbl.colspecs) do
    local align = columns[i].numeric and "AlignRight" or "AlignLeft"
    tbl.colspecs[i] = { align, "ColWidthDefault" }
    spec = nil
  end
  -- pandoc's default alignment comes from the colspecs; cells keep "AlignDefault".
  return tbl
end

local function typst_cell(cell)
  return "[" .. typst.blocks(cell.contents) .. "]"
end

local function typst_table(tbl, columns)
  local aligns = {}
  for i, col in ipairs(columns) do
    aligns[i] = col.numeric and "right" or "left"
  end
  local lines = {
    "table(",
    "  columns: " .. columns_of.typst_widths(columns) .. ",",
    "  align: (" .. table.concat(aligns, ", ") .. ",),",
  }
  local head = {}
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      head[#head + 1] = typst_cell(cell)
    end
  end
  if #head > 0 then
    lines[#lines + 1] = "  table.header(" .. table.concat(head, ", ") .. ",),"
  end
  for _, row in ipairs(columns_of.body_rows(tbl)) do
    local cells = {}
    for _, cell in ipairs(row.cells) do
      cells[#cells + 1] = typst_cell(cell)
    end
    lines[#lines + 1] = "  " .. table.concat(cells, ", ") .. ","
  end
  lines[#lines + 1] = ")"
  return table.concat(lines, "\n")
end

-- The `.tabel` div in the format being written; nil when it holds no table.
function M.div(div)
  local tbl, notes = nil, pandoc.Blocks {}
  for _, block in ipairs(div.content) do
    if block.t == "Table" and tbl == nil then
      tbl = block
    else
      notes:insert(block)
    end
  end
  if tbl == nil then
    return nil
  end
  local columns = columns_of.measure(tbl)
  local long = columns_of.estimated_lines(tbl) > LONG_TABLE_LINES
  if not typst.active() then
    align_columns(tbl, columns)
    if long then
      div.classes:insert("lang")
    end
    return div
  end
  local caption = typst.blocks(tbl.caption.long)
  local label = tbl.identifier ~= "" and ("<" .. tbl.identifier .. ">") or ""
  -- The notes are written by pandoc's typst writer as the call's trailing content block.
  local call = string.format("#kpb-tabel(caption: [%s], long: %s,\n%s)",
    caption, long and "true" or "false", typst_table(tbl, columns))
  if #notes == 0 then
    return typst.raw(call .. "[]" .. label)
  end
  local out = pandoc.Blocks { typst.raw(call .. "[") }
  out:extend(notes)
  out:insert(typst.raw("]" .. label))
  return out
end

return M
