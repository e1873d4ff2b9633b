-- A `.tabel` div: the table, then its source line and notes. A column whose cells are all
-- numbers is right-aligned, every other column is left-aligned. In typst all of it becomes one
-- `kpb-tabel` call (report.typ): column widths from the content (short columns as wide as they
-- need, long text columns share the rest, see columns.lua), header rows repeated on every page,
-- and the source line and notes kept with the table.

local columns_of = require("filter.columns")
local typst = require("filter.typst")

-- A table of this many rows or more, or estimated to take more lines than LONG_TABLE_LINES,
-- may break across pages (between rows, at least two on each page: design.typ); a shorter one
-- never does.
local LONG_TABLE_ROWS = 8
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

-- A long table's last rows, kept together on its last page (as a footer that does not repeat):
-- a table broken across pages never leaves a row alone.
local LAST_ROWS_TOGETHER = 2

-- The tables' type size (report.typ) and the smaller one of a table with many columns.
local TABLE_SIZE, COMPACT_SIZE = 8.3, 7.4

-- A long table starts on a page with room for its header and this many rows (design.typ).
local FIRST_ROWS_TOGETHER = 2

-- The typst table; `first`: only the header and that many rows (a long table's start, which
-- design.typ measures).
local function typst_table(tbl, columns, long, first)
  local aligns = {}
  for i, col in ipairs(columns) do
    aligns[i] = col.numeric and "right" or "left"
  end
  local widths, scale = columns_of.typst_widths(columns)
  local lines = {
    "table(",
    "  columns: " .. widths .. ",",
    "  align: (" .. table.concat(aligns, ", ") .. ",),",
  }
  if scale < 1 then
    -- the table's type smaller (design: 8.3 pt), so its columns fit: one compact size for
    -- every such table, smaller only where even that is too large
    local size = math.min(COMPACT_SIZE, TABLE_SIZE * scale)
    lines[1] = string.format("{ show table: set text(size: %.2fpt); table(", size)
  end
  local head = {}
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      head[#head + 1] = typst_cell(cell)
    end
  end
  if #head > 0 then
    lines[#lines + 1] = "  table.header(" .. table.concat(head, ", ") .. ",),"
  end
  local rows = columns_of.body_rows(tbl)
  if first then
    rows = { table.unpack(rows, 1, math.min(first, #rows)) }
  end
  local together = (long and not first and #rows > 2 * LAST_ROWS_TOGETHER)
    and LAST_ROWS_TOGETHER or 0
  for i, row in ipairs(rows) do
    local cells = {}
    for _, cell in ipairs(row.cells) do
      cells[#cells + 1] = typst_cell(cell)
    end
    if i == #rows - together + 1 then
      lines[#lines + 1] = "  table.footer(repeat: false,"
    end
    lines[#lines + 1] = "  " .. table.concat(cells, ", ") .. ","
  end
  if together > 0 then
    lines[#lines + 1] = "  ),"
  end
  lines[#lines + 1] = scale < 1 and ") }" or ")"
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
  local long = #columns_of.body_rows(tbl) >= LONG_TABLE_ROWS
    or columns_of.estimated_lines(tbl) > LONG_TABLE_LINES
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
  local call
  if long then
    call = string.format("#kpb-tabel(caption: [%s], long: true,\nstart: %s,\n%s)", caption,
      typst_table(tbl, columns, true, FIRST_ROWS_TOGETHER), typst_table(tbl, columns, true))
  else
    call = string.format("#kpb-tabel(caption: [%s], long: false,\n%s)", caption,
      typst_table(tbl, columns, false))
  end
  if #notes == 0 then
    return typst.raw(call .. "[]" .. label)
  end
  local out = pandoc.Blocks { typst.raw(call .. "[") }
  out:extend(notes)
  out:insert(typst.raw("]" .. label))
  return out
end

return M
