-- Measuring a table's columns: which are numbers (right-aligned), how long their cells and
-- words are, the texts typst must keep on one line (it sets the widths from them and from
-- the cells, design.typ) and the lines the table would take.

local hyphenation = require("filter.hyphenation")
local typst = require("filter.typst")

local SOFT_HYPHEN = hyphenation.SOFT_HYPHEN

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
  -- one character at a time: in a Lua character class a multi-byte character is its bytes,
  -- and "[\u{202f}]" would also take the first two bytes of "–" and "−"
  local compact = text:gsub("%s", ""):gsub("\u{a0}", ""):gsub("\u{202f}", "")
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

-- The texts of a column that must stand on one line, for typst to measure (design.typ,
-- kpb-kolonner): a cell of at most SHORT_CELL characters whole ("p = 0,040", "16 + 22",
-- "Ud af"), of a longer one its words (a word may break after a hyphen, "Miettinen-"); the
-- `count` longest of them. Returns the header's and the body's, per column.
local SHORT_CELL = 12
local LEAST_TEXTS = 3
M.SHORT_CELL = SHORT_CELL

local function units(text, out)
  local len = utf8.len(text) or #text
  if len <= SHORT_CELL then
    out[#out + 1] = text
    return
  end
  for word in text:gmatch("%S+") do
    -- typst may break after a hyphen or a dash inside a word, but not after »%-«
    -- (»95 %-interval«, design.typ)
    local pending = ""
    for part in word:gmatch("[^-–]+[-–]*") do
      if part:match("%%%-$") then
        pending = pending .. part
      else
        out[#out + 1] = pending .. part
        pending = ""
      end
    end
    if pending ~= "" then
      out[#out + 1] = pending
    end
  end
end

local function longest(texts, count)
  local seen, unique = {}, {}
  for _, text in ipairs(texts) do
    if not seen[text] and text ~= "" then
      seen[text] = true
      unique[#unique + 1] = text
    end
  end
  table.sort(unique, function(a, b)
    local la, lb = utf8.len(a) or #a, utf8.len(b) or #b
    return la > lb or (la == lb and a < b)
  end)
  return { table.unpack(unique, 1, math.min(count, #unique)) }
end

function M.least_texts(tbl)
  local n = #tbl.colspecs
  local head, body = {}, {}
  for i = 1, n do
    head[i], body[i] = {}, {}
  end
  for _, row in ipairs(tbl.head.rows) do
    for i, cell in ipairs(row.cells) do
      if head[i] then
        units(cell_text(cell), head[i])
      end
    end
  end
  for _, row in ipairs(M.body_rows(tbl)) do
    for i, cell in ipairs(row.cells) do
      if body[i] then
        units(cell_text(cell), body[i])
      end
    end
  end
  local out = {}
  for i = 1, n do
    out[i] = { longest(head[i], LEAST_TEXTS), longest(body[i], LEAST_TEXTS) }
  end
  return out
end

-- The texts of a column whose cells must each stand on at most two lines where the table has
-- the room (design_tables.typ, kpb-kolonner): of each body cell longer than SHORT_CELL, the
-- longer half of its most even division at a space into two lines; the `LEAST_TEXTS`
-- longest of them, per column.
local function longer_half(text)
  local words = {}
  for word in text:gmatch("%S+") do
    words[#words + 1] = word
  end
  local best
  for k = 1, #words - 1 do
    local first = table.concat(words, " ", 1, k)
    local second = table.concat(words, " ", k + 1)
    local half = (utf8.len(first) or #first) >= (utf8.len(second) or #second) and first or second
    if best == nil or (utf8.len(half) or #half) < (utf8.len(best) or #best) then
      best = half
    end
  end
  return best or text
end

M.cell_text = cell_text

function M.two_line_texts(tbl)
  local out = {}
  for i = 1, #tbl.colspecs do
    out[i] = {}
  end
  for _, row in ipairs(M.body_rows(tbl)) do
    for i, cell in ipairs(row.cells) do
      local text = cell_text(cell)
      if out[i] and (utf8.len(text) or #text) > SHORT_CELL then
        out[i][#out[i] + 1] = longer_half(text)
      end
    end
  end
  for i = 1, #out do
    out[i] = longest(out[i], LEAST_TEXTS)
  end
  return out
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
