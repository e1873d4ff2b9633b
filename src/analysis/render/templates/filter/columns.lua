-- Measuring a table's columns: which are numbers (right-aligned), how long their cells and
-- words are, and from that the typst column widths and the lines the table would take.

local hyphenation = require("filter.hyphenation")
local typst = require("filter.typst")

local SOFT_HYPHEN = hyphenation.SOFT_HYPHEN
-- A column whose longest cell has at most this many characters is as wide as its content.
local SHORT_COLUMN = 14
-- The narrowest a table may be laid out in, in em of the tables' 8.3 pt sans: a municipal
-- panel's text width (A4 less 2 × 2.5 cm margins, less the panel's 3 pt rule and 2 × 12 pt
-- inset = 426 pt). Each column's cell inset is 10 pt, about 1.2 em.
local TABLE_EM = 426 / 8.3
local INSET_EM = 10 / 8.3

local M = {}

-- A cell's text as the reader sees it: a listed compound counts with all its letters (its
-- soft hyphens, or its `#kpb-ord` call, would otherwise make it shorter or empty).
local function inline_text(inlines, parts)
  for _, inline in ipairs(inlines) do
    local kind = inline.t
    if kind == "Str" then
      parts[#parts + 1] = inline.text
    elseif kind == "Space" or kind == "SoftBreak" or kind == "LineBreak" then
      parts[#parts + 1] = " "
    elseif kind == "RawInline" then
      parts[#parts + 1] = typst.word_text(inline) or ""
    elseif inline.content ~= nil then   -- emphasis, links, spans
      inline_text(inline.content, parts)
    else
      parts[#parts + 1] = pandoc.utils.stringify(inline)
    end
  end
end

local function cell_text(cell)
  local parts = {}
  for _, block in ipairs(cell.contents) do
    if block.t == "Plain" or block.t == "Para" then
      inline_text(block.content, parts)
    else
      parts[#parts + 1] = pandoc.utils.stringify(block)
    end
  end
  return (table.concat(parts):gsub(SOFT_HYPHEN, ""))
end

-- "44", "62.280", "44,9 %", "–", "(N = 38)"-free numbers: digits and number punctuation only.
local function is_number(text)
  local compact = text:gsub("[%s\u{a0}\u{202f}]", "")
  if compact == "" or compact == "–" or compact == "-" or compact == "…" then
    return nil  -- empty cells say nothing about the column
  end
  compact = compact:gsub("−", "-"):gsub("–", "-"):gsub("±", "")
  return compact:match("^[<>≈~]?[%+%-]?[%d%.,]+%%?$") ~= nil
      or compact:match("^[%d%.,]+%%?%-[%d%.,]+%%?$") ~= nil
end

function M.body_rows(tbl)
  local rows = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      rows[#rows + 1] = row
    end
  end
  return rows
end

local function longest_word(text)
  local best = 0
  for word in text:gmatch("%S+") do
    best = math.max(best, utf8.len(word) or #word)
  end
  return best
end

-- Per column: is it numeric, its longest cell and its mean cell length (characters).
function M.measure(tbl)
  local n = #tbl.colspecs
  local columns = {}
  for i = 1, n do
    columns[i] = { numeric = true, seen = false, max = 0, sum = 0, count = 0, head = 0,
      word = 0, head_word = 0 }
  end
  for _, row in ipairs(tbl.head.rows) do
    for i, cell in ipairs(row.cells) do
      if columns[i] then
        -- a short header ("Ud af", "Andel") stays on one line; a long one wraps by words
        local text = cell_text(cell)
        local len = utf8.len(text) or #text
        columns[i].head = math.max(columns[i].head, len <= 12 and len or longest_word(text))
        columns[i].head_word = math.max(columns[i].head_word, longest_word(text))
      end
    end
  end
  for _, row in ipairs(M.body_rows(tbl)) do
    for i, cell in ipairs(row.cells) do
      local col = columns[i]
      if col then
        local text = cell_text(cell)
        local len = utf8.len(text) or #text
        col.max = math.max(col.max, len)
        col.word = math.max(col.word, longest_word(text))
        col.sum = col.sum + len
        col.count = col.count + 1
        local numeric = is_number(text)
        if numeric ~= nil then
          col.seen = true
          col.numeric = col.numeric and numeric
        end
      end
    end
  end
  for _, col in ipairs(columns) do
    col.numeric = col.numeric and col.seen
    col.mean = col.count > 0 and col.sum / col.count or 0
  end
  return columns
end

-- Typst column widths, and the scale of the table's type (1: as designed; less for a table
-- whose columns need more than the narrowest text width). Numbers and short texts get the
-- width of their longest cell (their header wraps at word boundaries instead), long text
-- columns share the rest in proportion to their typical length, so question texts get the
-- room and codes stay narrow. Widths are in em of the table's sans (digits and most letters
-- are about 0.62 em wide, bold headers more).
function M.typst_widths(columns)
  local widths, any_fr = {}, false
  local total = 0
  for _, col in ipairs(columns) do
    total = total + math.max(col.max, col.head) + 2
  end
  local widest, widest_len = nil, -1
  for i, col in ipairs(columns) do
    if not col.numeric and col.max > widest_len then
      widest, widest_len = i, col.max
    end
  end
  -- long text columns share what the others leave, but none gets less than its longest word
  -- (a bold header word wider than its column would run into the next one; a bold word of
  -- wide letters, "Kommunens", takes 0.8 em a letter)
  local shares, fixed_em = {}, 0
  for i, col in ipairs(columns) do
    if not col.numeric and (col.max > SHORT_COLUMN or i == widest) then
      shares[i] = math.sqrt(col.max * math.max(col.mean, col.head))
    else
      widths[i] = math.max(col.max * 0.62, col.head * 0.68)
      fixed_em = fixed_em + widths[i]
    end
  end
  local narrowed = true
  while narrowed do
    narrowed = false
    local weights = 0
    for i = 1, #columns do
      weights = weights + (shares[i] or 0)
    end
    local left = TABLE_EM - fixed_em - #columns * INSET_EM
    for i = 1, #columns do
      local need = math.max(columns[i].word * 0.62, columns[i].head_word * 0.8)
      if shares[i] and weights > 0 and shares[i] / weights * left < need then
        shares[i], widths[i], fixed_em, narrowed = nil, need, fixed_em + need, true
        break
      end
    end
  end
  -- what the columns need at the least: the fixed ones their width, the shared ones their
  -- longest word
  local least = 0
  for i, col in ipairs(columns) do
    least = least + (shares[i] and math.max(col.word * 0.62, col.head_word * 0.8) or widths[i])
  end
  for i = 1, #columns do
    if shares[i] then
      widths[i] = string.format("%.2ffr", shares[i])
      any_fr = true
    else
      widths[i] = string.format("%.2fem + 10pt", widths[i])
    end
  end
  if not any_fr and widest ~= nil then
    widths[widest] = "1fr"
  end
  -- a table with more columns than the width takes is set smaller, so no word runs into the
  -- next column (widths are in em of the table's type, the cells' insets in points)
  local scale = math.min(1, (TABLE_EM - #columns * INSET_EM) / least)
  return "(" .. table.concat(widths, ", ") .. ",)", scale
end

-- Lines a table would take in the PDF, roughly: each row as tall as its longest cell.
function M.estimated_lines(tbl)
  local lines = 0
  for _, row in ipairs(M.body_rows(tbl)) do
    local tallest = 1
    for _, cell in ipairs(row.cells) do
      local len = utf8.len(cell_text(cell)) or 0
      tallest = math.max(tallest, math.ceil(len / 40))
    end
    lines = lines + tallest
  end
  return lines
end

return M
