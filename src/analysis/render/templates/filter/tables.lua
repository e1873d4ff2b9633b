-- A `.tabel` div: the table, then its source line and notes. A column whose cells are all
-- numbers is right-aligned, every other column is left-aligned. In typst all of it becomes one
-- `kpb-tabel` call (design.typ): its cells, and what typst needs to set the column widths from
-- the content (which columns hold numbers, the texts that must stand on one line: columns.lua);
-- header rows repeated on every page, and the source line and notes kept with the table.

local columns_of = require("filter.columns")
local typst = require("filter.typst")

-- A table of this many rows or more, or estimated to take more lines than LONG_TABLE_LINES,
-- may break across pages (between rows: at least kpb-lang-foerste rows where it starts, its last
-- LAST_ROWS_TOGETHER rows together where it ends; design_tables.typ); a shorter one
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

local function typst_strings(texts)
  local out = {}
  for i, text in ipairs(texts) do
    out[i] = typst.string(text)
  end
  return "(" .. table.concat(out, ", ") .. (#out > 0 and ",)" or ")")
end

-- The fields of a `kpb-tabel` call that make its table (design.typ): the header's cells, the
-- rows of cells, which columns hold numbers, the texts of each column that must stand on one
-- line and those that its cells take on two lines (typst sets the column widths from them
-- and from the cells) and, for a long table, how many last rows go together.
local function typst_table_fields(tbl, columns, long)
  local numeric, least = {}, {}
  for i, col in ipairs(columns) do
    numeric[i] = col.numeric and "true" or "false"
  end
  for i, texts in ipairs(columns_of.least_texts(tbl)) do
    least[i] = "(" .. typst_strings(texts[1]) .. ", " .. typst_strings(texts[2]) .. ")"
  end
  local two = {}
  for i, texts in ipairs(columns_of.two_line_texts(tbl)) do
    two[i] = typst_strings(texts)
  end
  local head = {}
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do
      head[#head + 1] = typst_cell(cell)
    end
  end
  local rows = {}
  for _, row in ipairs(columns_of.body_rows(tbl)) do
    local cells = {}
    for _, cell in ipairs(row.cells) do
      cells[#cells + 1] = typst_cell(cell)
    end
    rows[#rows + 1] = "    (" .. table.concat(cells, ", ") .. ",),"
  end
  local last = (long and #rows > 2 * LAST_ROWS_TOGETHER) and LAST_ROWS_TOGETHER or 0
  return table.concat({
    "  numeric: (" .. table.concat(numeric, ", ") .. ",),",
    "  least: (" .. table.concat(least, ", ") .. ",),",
    "  two: (" .. table.concat(two, ", ") .. ",),",
    "  header: (" .. table.concat(head, ", ") .. (#head > 0 and ",)," or "),"),
    "  rows: (",
    table.concat(rows, "\n"),
    "  ),",
    "  last: " .. last .. ",",
  }, "\n")
end

-- In a table's body cells a number keeps the word after it on its line (»30 procentpoint«,
-- »22 små«, »3 af 22«): the space between them becomes a non-breaking one, so that a narrow
-- column never ends a line with a bare number, and the column is measured with the two as
-- one text (columns.lua). The per cent sign and »N = 38« are kept so everywhere (spaces.lua).
local NBSP = "\u{A0}"

local function word_after(inline)
  if inline == nil then
    return false
  elseif inline.t == "Str" then
    -- a letter: ASCII, or a Latin-1 letter's UTF-8 lead byte (æ, ø, å, é: C3)
    return inline.text:match("^[%a\195]") ~= nil
  end
  return inline.t == "RawInline" and typst.word_text(inline) ~= nil
end

local function bind_numbers(inlines)
  local changed = false
  for i = 2, #inlines - 1 do
    local before = inlines[i - 1]
    if inlines[i].t == "Space" and before.t == "Str" and before.text:match("%d$")
        and word_after(inlines[i + 1]) then
      inlines[i] = pandoc.Str(NBSP)
      changed = true
    end
  end
  return changed and inlines or nil
end

M.bind_numbers = bind_numbers

-- In the HTML, as in the PDF: a short cell (»16 + 22«, »p = 0,040«) stands on one line, and
-- a column whose long cells divide evenly into two lines of at most TWO_LINE_HTML characters
-- is at least that wide (»kan ikke skelnes fra / tilfældig variation« on two lines, not
-- four: a `min-width` on the cell's content); a longer text column wraps as the browser sets it.
local TWO_LINE_HTML = 24
local EM_PER_CHARACTER = 0.58   -- the sans's mean width of a character, in em

local function html_cells(tbl)
  local halves = columns_of.two_line_texts(tbl)
  for _, row in ipairs(columns_of.body_rows(tbl)) do
    for i, cell in ipairs(row.cells) do
      local len = utf8.len(columns_of.cell_text(cell)) or 0
      local half = halves[i] and halves[i][1]
      local width = half and (utf8.len(half) or #half)
      local attr
      if len <= columns_of.SHORT_CELL then
        attr = pandoc.Attr("", { "hel" })
      elseif width and width <= TWO_LINE_HTML then
        attr = pandoc.Attr("", { "to-linjer" },
          { style = string.format("min-width: %.1fem", width * EM_PER_CHARACTER) })
      end
      if attr then
        cell.contents = pandoc.Blocks { pandoc.Div(cell.contents, attr) }
      end
    end
  end
end

-- The `.tabel` div in the format being written; nil when it holds no table.
function M.div(div)
  local tbl, at, notes = nil, nil, pandoc.Blocks {}
  for i, block in ipairs(div.content) do
    if block.t == "Table" and tbl == nil then
      tbl, at = block, i
    else
      notes:insert(block)
    end
  end
  if tbl == nil then
    return nil
  end
  -- the body's cells only: a header's words wrap as they must over a narrow column
  for _, row in ipairs(columns_of.body_rows(tbl)) do
    for _, cell in ipairs(row.cells) do
      cell.contents = cell.contents:walk({ Inlines = bind_numbers })
    end
  end
  local columns = columns_of.measure(tbl)
  local long = #columns_of.body_rows(tbl) >= LONG_TABLE_ROWS
    or columns_of.estimated_lines(tbl) > LONG_TABLE_LINES
  if not typst.active() then
    html_cells(tbl)
    div.content[at] = align_columns(tbl, columns)
    if long then
      div.classes:insert("lang")
    end
    return div
  end
  local caption = typst.blocks(tbl.caption.long)
  local label = tbl.identifier ~= "" and ("<" .. tbl.identifier .. ">") or ""
  -- The notes are written by pandoc's typst writer as the call's trailing content block.
  local call = string.format("#kpb-tabel(caption: [%s], long: %s,\n%s\n)", caption,
    long and "true" or "false", typst_table_fields(tbl, columns, long))
  if #notes == 0 then
    return typst.raw(call .. "[]" .. label)
  end
  local out = pandoc.Blocks { typst.raw(call .. "[") }
  out:extend(notes)
  out:insert(typst.raw("]" .. label))
  return out
end

return M
