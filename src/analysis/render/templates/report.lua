-- Pandoc filter shared by the report's HTML and PDF (typst) writers.
--
-- * Danish quotation marks: "…" becomes »…« and '…' becomes ›…‹ in every format.
-- * A heading under an unnumbered heading (front matter, bilag) is unnumbered too, so
--   pandoc does not print "0.1" in HTML and typst does not number it in the PDF.
-- * The house design's blocks, the same in both formats:
--   - the first paragraph after a chapter heading is the chapter's lead (`.manchet`);
--   - `::: {.boks}`, `::: {.eksempel}`, `::: {.definition}` are boxes; a first paragraph that
--     is all bold, a `[…]{.titel}` span, a `.titel` div or a `title` attribute is the title;
--   - a block quote whose last paragraph starts with a dash is an interview quote, and that
--     paragraph is its role label;
--   - a section whose heading has the class `.local` (the municipality's own answers) and
--     the section headed "Kolofon" are set apart as panels.
-- * Tables: a column whose cells are all numbers is right-aligned, every other column is
--   left-aligned; in typst, column widths come from the content (short columns as wide as
--   they need, long text columns share the rest), header rows repeat on every page, and the
--   table's source line and notes are kept with it (see `kpb-tabel` in report.typ).
-- * Typst only: figures carry their alt text into the PDF (pandoc's typst writer drops it),
--   a figure is kept on one page with its source line.

local DOUBLE = { "»", "«" }
local SINGLE = { "›", "‹" }
local BOX_CLASSES = { "boks", "eksempel", "definition" }
-- A table estimated to take more lines than this may break across pages; shorter ones never do.
local LONG_TABLE_LINES = 30
-- A column whose longest cell has at most this many characters is as wide as its content.
local SHORT_COLUMN = 14
-- The narrowest a table may be laid out in, in em of the tables' 8.3 pt sans: a municipal
-- panel's text width (A4 less 2 × 2.5 cm margins, less the panel's 3 pt rule and 2 × 12 pt
-- inset = 426 pt). Each column's cell inset is 10 pt, about 1.2 em.
local TABLE_EM = 426 / 8.3
local INSET_EM = 10 / 8.3
local ROLE_DASHES = { ["—"] = true, ["–"] = true, ["-"] = true, ["---"] = true, ["--"] = true }

-- Read when a function runs, not when the filter loads: the report's pandoc (report_server.lua)
-- applies this filter once for each format of a report, setting FORMAT before each.
local function is_typst()
  return FORMAT == "typst"
end

-- Hyphenation exceptions --------------------------------------------------------------------
--
-- `hyphenation.txt` (next to this filter) lists compounds with the points where they may be
-- divided. Each listed word, with a capital first letter too and followed by one of ENDINGS,
-- gets a soft hyphen (U+00AD) at those points in HTML: a browser with `hyphens: auto` then
-- divides such a word only there (CSS Text 3). In typst the word becomes `#kpb-ord("sam",
-- "arbejds", "trappen");` (design.typ): typst's own hyphenation off inside it, and a soft
-- hyphen between the parts that is left out of the PDF's text unless the line breaks there,
-- so the word is found by a search in the PDF.

local SOFT_HYPHEN = "\u{AD}"
-- Inflections a listed word may carry and still be that word (trappe-n, plan-erne, ...).
local ENDINGS = {}
for _, ending in ipairs({ "", "e", "en", "ens", "er", "erne", "ernes", "ers", "es", "et",
    "ets", "n", "ne", "nes", "ns", "r", "re", "rne", "rnes", "rs", "s", "t", "ts" }) do
  ENDINGS[ending] = true
end

local function this_directory()
  local source = debug.getinfo(1, "S").source
  if source:sub(1, 1) == "@" then
    return pandoc.path.directory(source:sub(2))
  end
  return pandoc.path.directory(PANDOC_SCRIPT_FILE)
end

-- { word = "samarbejdstrappe", breaks = { byte offsets after which a break is allowed } },
-- longest first, so that a longer entry wins over one that begins it.
local function read_hyphenation(path)
  local file = io.open(path, "r")
  if file == nil then
    error("hyphenation list not found: " .. path)
  end
  local entries = {}
  for line in file:lines() do
    line = line:gsub("^%s+", ""):gsub("%s+$", "")
    if line ~= "" and line:sub(1, 1) ~= "#" then
      local word, breaks = "", {}
      for part in line:gmatch("[^-]+") do
        if word ~= "" then
          breaks[#breaks + 1] = #word
        end
        word = word .. part
      end
      if #breaks == 0 then
        error(path .. ": " .. line .. ": no hyphen; mark where the word may be divided")
      end
      entries[#entries + 1] = { word = word, breaks = breaks }
    end
  end
  file:close()
  table.sort(entries, function(a, b)
    return #a.word > #b.word or (#a.word == #b.word and a.word < b.word)
  end)
  return entries
end

local HYPHENATION = read_hyphenation(pandoc.path.join({ this_directory(), "hyphenation.txt" }))
local SHORTEST = math.huge
for _, entry in ipairs(HYPHENATION) do
  SHORTEST = math.min(SHORTEST, #entry.word)
end

-- Is there a letter (ASCII or Latin-1 such as æ, ø, å, é) ending at / starting at byte `i`?
local function letter_before(text, i)
  if i < 1 then
    return false
  end
  local byte = text:byte(i)
  if byte < 128 then
    return text:sub(i, i):match("%a") ~= nil
  end
  return byte >= 128 and byte <= 191 and i > 1 and text:byte(i - 1) == 195
end

local function letter_length(text, i)
  local byte = text:byte(i)
  if byte == nil then
    return 0
  elseif byte < 128 then
    return text:sub(i, i):match("%a") and 1 or 0
  elseif byte == 195 and (text:byte(i + 1) or 0) >= 128 and (text:byte(i + 1) or 0) <= 191 then
    return 2
  end
  return 0
end

-- The word starting at byte `first` of `text` with the entry's soft hyphens, and the byte
-- after it; nil when the entry is not the whole word there (another compound, no ending).
local function hyphenated_at(text, first, entry)
  local stop = first + #entry.word
  local after = stop
  while letter_length(text, after) > 0 do
    after = after + letter_length(text, after)
  end
  if not ENDINGS[pandoc.text.lower(text:sub(stop, after - 1))] then
    return nil
  end
  local parts, from = {}, first
  for _, offset in ipairs(entry.breaks) do
    parts[#parts + 1] = text:sub(from, first + offset - 1)
    from = first + offset
  end
  parts[#parts + 1] = text:sub(from, after - 1)
  return parts, after
end

local function hyphenate(text)
  if #text < SHORTEST or text:find(SOFT_HYPHEN, 1, true) then
    return nil
  end
  -- Lua's lower() is byte-wise and fast; pandoc's Unicode one is needed only when the text
  -- has an upper-case Latin-1 letter (UTF-8 bytes C3 80-9E: Æ, Ø, Å, É, ...).
  local lower = text:find("\195[\128-\158]") and pandoc.text.lower(text) or text:lower()
  if #lower ~= #text then
    return nil  -- a letter whose lower case is longer: not one of ours
  end
  local out, changed = {}, false
  for _, entry in ipairs(HYPHENATION) do
    local start = 1
    while true do
      local first = lower:find(entry.word, start, true)
      if first == nil then
        break
      end
      start = first + 1
      if not letter_before(text, first - 1) then
        local word, after = hyphenated_at(text, first, entry)
        if word then
          out[#out + 1] = { first = first, after = after, word = word }
          changed = true
        end
      end
    end
  end
  if not changed then
    return nil
  end
  table.sort(out, function(a, b) return a.first < b.first end)
  -- pieces: plain text (a string) and divisible words (a list of their parts)
  local pieces, from = {}, 1
  for _, hit in ipairs(out) do
    if hit.first >= from then
      pieces[#pieces + 1] = text:sub(from, hit.first - 1)
      pieces[#pieces + 1] = hit.word
      from = hit.after
    end
  end
  pieces[#pieces + 1] = text:sub(from)
  return pieces
end

local TYPST_WORD = "^#kpb%-ord%("

local function typst_word(parts)
  local args = {}
  for i, part in ipairs(parts) do
    args[i] = '"' .. part .. '"'   -- letters only (see letter_length): nothing to escape
  end
  -- the semicolon ends the call, so a "(" or "[" after the word stays text
  return pandoc.RawInline("typst", "#kpb-ord(" .. table.concat(args, ", ") .. ");")
end

-- text -> its pieces, or false: a report repeats its words, and the report's pandoc filters
-- the same words for both formats, and for report after report.
local PIECES, KEPT_PIECES = {}, 0
-- A pandoc that renders report after report (report_server.lua) meets new words in each (names,
-- numbers); the memo starts afresh when it holds this many.
local MAX_PIECES = 50000

function Str(str)
  local text = str.text
  local pieces = PIECES[text]
  if pieces == nil then
    pieces = hyphenate(text) or false
    if KEPT_PIECES >= MAX_PIECES then
      PIECES, KEPT_PIECES = {}, 0
    end
    PIECES[text], KEPT_PIECES = pieces, KEPT_PIECES + 1
  end
  if not pieces then
    return nil
  end
  if not is_typst() then
    local texts = {}
    for i, piece in ipairs(pieces) do
      texts[i] = type(piece) == "table" and table.concat(piece, SOFT_HYPHEN) or piece
    end
    return pandoc.Str(table.concat(texts))
  end
  local inlines = pandoc.Inlines {}
  for _, piece in ipairs(pieces) do
    if type(piece) == "table" then
      inlines:insert(typst_word(piece))
    elseif piece ~= "" then
      inlines:insert(pandoc.Str(piece))
    end
  end
  return inlines
end

-- Headings and the title page's fields stay as typed: headings are never divided, and they
-- become the contents, the PDF's bookmarks and the page's title.
-- The whole word of a listed compound the filter wrote as `#kpb-ord(...)`; nil for any other
-- raw inline.
local function listed_word(raw)
  if raw.format == "typst" and raw.text:match(TYPST_WORD) then
    local parts = {}
    for part in raw.text:gmatch('"([^"]*)"') do
      parts[#parts + 1] = part
    end
    return table.concat(parts)
  end
end

local UNHYPHENATE = {
  Str = function(str)
    local text, count = str.text:gsub(SOFT_HYPHEN, "")
    return count > 0 and pandoc.Str(text) or nil
  end,
  RawInline = function(raw)
    local word = listed_word(raw)
    return word and pandoc.Str(word) or nil
  end,
}

local function unhyphenate_meta(meta)
  return pandoc.Pandoc({}, meta):walk(UNHYPHENATE).meta
end

local function unhyphenate_header(header)
  return header:walk(UNHYPHENATE)
end

-- An image's description is its alt text: read aloud, never divided.
local function unhyphenate_image(image)
  return image:walk(UNHYPHENATE)
end

function Quoted(quoted)
  local marks = quoted.quotetype == "SingleQuote" and SINGLE or DOUBLE
  local inlines = pandoc.Inlines { pandoc.Str(marks[1]) }
  inlines:extend(quoted.content)
  inlines:insert(pandoc.Str(marks[2]))
  return inlines
end

local function unnumber_children(blocks)
  local level = nil
  for _, block in ipairs(blocks) do
    if block.t == "Header" then
      if level ~= nil and block.level > level then
        if not block.classes:includes("unnumbered") then
          block.classes:insert("unnumbered")
        end
      else
        level = block.classes:includes("unnumbered") and block.level or nil
      end
    end
  end
  return blocks
end

-- Typst helpers ---------------------------------------------------------------------------

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

-- Plain text (words, spaces, quotes already made Danish, listed compounds as `#kpb-ord`)
-- goes into typst as strings, which need no markup escaping; anything with formatting goes
-- through pandoc's typst writer. Most table cells, captions and titles are plain, and a writer
-- call costs more than half a millisecond: one per cell was most of the filter's time.
local function plain_markup(blocks)
  if #blocks == 0 then
    return '#""'
  end
  if #blocks ~= 1 or (blocks[1].t ~= "Plain" and blocks[1].t ~= "Para") then
    return nil
  end
  local parts, text = {}, {}
  local function flush()
    if #text > 0 then
      parts[#parts + 1] = "#" .. typst_string(table.concat(text))
      text = {}
    end
  end
  for _, inline in ipairs(blocks[1].content) do
    if inline.t == "Str" then
      text[#text + 1] = inline.text
    elseif inline.t == "Space" or inline.t == "SoftBreak" then
      text[#text + 1] = " "
    elseif inline.t == "RawInline" and inline.format == "typst" and inline.text:match(TYPST_WORD) then
      flush()
      parts[#parts + 1] = inline.text   -- ends in ";", so what follows is not its argument
    else
      return nil
    end
  end
  flush()
  return #parts > 0 and table.concat(parts) or '#""'
end

local function typst_blocks(blocks)
  return plain_markup(blocks) or pandoc.write(pandoc.Pandoc(blocks), "typst"):gsub("%s+$", "")
end

local function typst_inlines(inlines)
  return typst_blocks({ pandoc.Plain(inlines) })
end

local function raw(text)
  return pandoc.RawBlock("typst", text)
end

-- Wraps `blocks` in a call of a function of report.typ: `#name(args)[ blocks ]`.
local function typst_call(name, args, blocks)
  local out = pandoc.Blocks { raw("#" .. name .. "(" .. (args or "") .. ")[") }
  out:extend(blocks)
  out:insert(raw("]"))
  return out
end

local function typst_figure(figure)
  local image = nil
  figure.content:walk { Image = function(img) image = img end }
  if image == nil then
    return nil
  end
  local alt = image.attributes.alt or pandoc.utils.stringify(image.caption)
  local caption = typst_blocks(figure.caption.long)
  local label = figure.identifier ~= "" and ("<" .. figure.identifier .. ">") or ""
  return raw(string.format("#figure(image(%s, alt: %s), caption: [%s])%s",
    typst_string(image.src), typst_string(alt), caption, label))
end

-- Tables ----------------------------------------------------------------------------------

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
      parts[#parts + 1] = listed_word(inline) or ""
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

local function body_rows(tbl)
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
local function measure_columns(tbl)
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
  for _, row in ipairs(body_rows(tbl)) do
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

local function align_columns(tbl, columns)
  for i, spec in ipairs(tbl.colspecs) do
    local align = columns[i].numeric and "AlignRight" or "AlignLeft"
    tbl.colspecs[i] = { align, "ColWidthDefault" }
    spec = nil
  end
  -- pandoc's default alignment comes from the colspecs; cells keep "AlignDefault".
  return tbl
end

-- Typst column widths: numbers and short texts get the width of their longest cell (their
-- header wraps at word boundaries instead), long text columns share the rest in proportion to
-- their typical length, so question texts get the room and codes stay narrow. Widths are in
-- em of the table's sans (digits and most letters are about 0.62 em wide, bold headers more).
local function typst_widths(columns)
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
  return "(" .. table.concat(widths, ", ") .. ",)"
end

-- Lines a table would take in the PDF, roughly: each row as tall as its longest cell.
local function estimated_lines(tbl)
  local lines = 0
  for _, row in ipairs(body_rows(tbl)) do
    local tallest = 1
    for _, cell in ipairs(row.cells) do
      local len = utf8.len(cell_text(cell)) or 0
      tallest = math.max(tallest, math.ceil(len / 40))
    end
    lines = lines + tallest
  end
  return lines
end

local function typst_cell(cell)
  return "[" .. typst_blocks(cell.contents) .. "]"
end

local function typst_table(tbl, columns)
  local aligns = {}
  for i, col in ipairs(columns) do
    aligns[i] = col.numeric and "right" or "left"
  end
  local lines = {
    "table(",
    "  columns: " .. typst_widths(columns) .. ",",
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
  for _, row in ipairs(body_rows(tbl)) do
    local cells = {}
    for _, cell in ipairs(row.cells) do
      cells[#cells + 1] = typst_cell(cell)
    end
    lines[#lines + 1] = "  " .. table.concat(cells, ", ") .. ","
  end
  lines[#lines + 1] = ")"
  return table.concat(lines, "\n")
end

-- A `.tabel` div: the table, then its source line and notes. In typst all of it becomes one
-- `kpb-tabel` call; in HTML the table's columns are aligned by content.
local function tabel_div(div)
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
  local columns = measure_columns(tbl)
  local long = estimated_lines(tbl) > LONG_TABLE_LINES
  if not is_typst() then
    align_columns(tbl, columns)
    if long then
      div.classes:insert("lang")
    end
    return div
  end
  local caption = typst_blocks(tbl.caption.long)
  local label = tbl.identifier ~= "" and ("<" .. tbl.identifier .. ">") or ""
  -- The notes are written by pandoc's typst writer as the call's trailing content block.
  local call = string.format("#kpb-tabel(caption: [%s], long: %s,\n%s)",
    caption, long and "true" or "false", typst_table(tbl, columns))
  if #notes == 0 then
    return raw(call .. "[]" .. label)
  end
  local out = pandoc.Blocks { raw(call .. "[") }
  out:extend(notes)
  out:insert(raw("]" .. label))
  return out
end

-- Boxes, quotes, lead paragraphs ----------------------------------------------------------

local function only_strong(inlines)
  local strong = nil
  for _, inline in ipairs(inlines) do
    if inline.t == "Strong" and strong == nil then
      strong = inline
    elseif inline.t ~= "Space" and inline.t ~= "SoftBreak" and inline.t ~= "LineBreak" then
      return nil
    end
  end
  return strong and strong.content or nil
end

-- The box's title (inlines) and its remaining blocks.
local function box_title(div)
  local blocks = pandoc.Blocks(div.content)
  if div.attributes.title and div.attributes.title ~= "" then
    return pandoc.Inlines { pandoc.Str(div.attributes.title) }, blocks
  end
  local first = blocks[1]
  if first == nil then
    return nil, blocks
  end
  if first.t == "Header" then
    blocks:remove(1)
    return first.content, blocks
  end
  if first.t == "Div" and (first.classes:includes("titel")
      or first.classes:includes("admonition-title")) then
    blocks:remove(1)
    return pandoc.utils.blocks_to_inlines(first.content), blocks
  end
  if first.t == "Para" or first.t == "Plain" then
    local strong = only_strong(first.content)
    if strong then
      blocks:remove(1)
      return strong, blocks
    end
    local lead = first.content[1]
    if lead and lead.t == "Span" and lead.classes:includes("titel") then
      local rest = pandoc.Inlines(first.content)
      rest:remove(1)
      while rest[1] and (rest[1].t == "Space" or rest[1].t == "SoftBreak") do
        rest:remove(1)
      end
      if #rest > 0 then
        blocks[1] = pandoc.Para(rest)
      else
        blocks:remove(1)
      end
      return lead.content, blocks
    end
  end
  return nil, blocks
end

local function box_kind(div)
  for _, class in ipairs(BOX_CLASSES) do
    if div.classes:includes(class) then
      return class
    end
  end
  return nil
end

local function box_div(div, kind)
  local title, blocks = box_title(div)
  if is_typst() then
    local args = "kind: " .. typst_string(kind)
    if title then
      args = args .. ", title: [" .. typst_inlines(title) .. "]"
    end
    return typst_call("kpb-boks", args, blocks)
  end
  local content = pandoc.Blocks {}
  if title then
    content:insert(pandoc.Div({ pandoc.Para(title) }, pandoc.Attr("", { "boks-titel" })))
  end
  content:extend(blocks)
  div.content = content
  if kind ~= "boks" and not div.classes:includes("boks") then
    div.classes:insert("boks")
  end
  div.attributes.role = "note"
  return div
end

local function starts_with_dash(block)
  if block == nil or (block.t ~= "Para" and block.t ~= "Plain") then
    return false
  end
  local first = block.content[1]
  return first ~= nil and first.t == "Str" and (ROLE_DASHES[first.text]
    or first.text:match("^—") ~= nil)
end

-- The role label without its dash.
local function role_inlines(block)
  local inlines = pandoc.Inlines(block.content)
  local first = inlines[1]
  local rest = first.text:gsub("^[—–%-]+", "")
  if rest == "" then
    inlines:remove(1)
  else
    inlines[1] = pandoc.Str(rest)
  end
  while inlines[1] and (inlines[1].t == "Space" or inlines[1].t == "SoftBreak") do
    inlines:remove(1)
  end
  return inlines
end

local function quote_block(quote)
  local blocks = pandoc.Blocks(quote.content)
  local last = blocks[#blocks]
  if not starts_with_dash(last) or #blocks < 2 then
    return nil
  end
  blocks:remove(#blocks)
  local role = role_inlines(last)
  if is_typst() then
    return typst_call("kpb-citat", "role: [" .. typst_inlines(role) .. "]", blocks)
  end
  local sig = pandoc.Inlines { pandoc.Str("—"), pandoc.Space() }
  sig:extend(role)
  blocks:insert(pandoc.Div({ pandoc.Para(sig) }, pandoc.Attr("", { "rolle" })))
  return pandoc.Div({ pandoc.BlockQuote(blocks) }, pandoc.Attr("", { "citat" }))
end

local function manchet(blocks)
  if is_typst() then
    return typst_call("kpb-manchet", "", blocks)
  end
  return pandoc.Blocks { pandoc.Div(blocks, pandoc.Attr("", { "manchet" })) }
end

-- Structure: lead paragraphs after chapter headings, municipal panels, the kolofon.
local function is_lead_candidate(block)
  if block == nil or block.t ~= "Para" then
    return false
  end
  local first = block.content[1]
  return first ~= nil and first.t ~= "Strong"
end

-- In HTML the panel gets an id of its own: pandoc would otherwise turn a div that starts with
-- a heading into a <section> and move the heading's id (the TOC's link target) onto it.
local function panel(blocks, class, ident)
  if is_typst() then
    return typst_call("kpb-panel", "kind: " .. typst_string(class), blocks)
  end
  return pandoc.Blocks { pandoc.Div(blocks, pandoc.Attr(ident .. "-" .. class, { class })) }
end

local function structure(blocks)
  local top = nil
  for _, block in ipairs(blocks) do
    if block.t == "Header" and (top == nil or block.level < top) then
      top = block.level
    end
  end
  local out = pandoc.Blocks {}
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    if block.t == "Header" and block.level == top and is_lead_candidate(blocks[i + 1]) then
      out:insert(block)
      out:extend(manchet({ blocks[i + 1] }))
      i = i + 2
    elseif block.t == "Header" and (block.classes:includes("local")
        or block.identifier == "kolofon") then
      local class = block.identifier == "kolofon" and "kolofon" or "lokal"
      local section = pandoc.Blocks { block }
      local j = i + 1
      while j <= #blocks and not (blocks[j].t == "Header" and blocks[j].level <= block.level) do
        section:insert(blocks[j])
        j = j + 1
      end
      out:extend(panel(section, class, block.identifier))
      i = j
    else
      out:insert(block)
      i = i + 1
    end
  end
  return out
end

local function div_filter(div)
  if div.classes:includes("tabel") then
    return tabel_div(div)
  end
  local kind = box_kind(div)
  if kind then
    return box_div(div, kind)
  end
  if div.classes:includes("manchet") then
    return manchet(div.content)
  end
  if is_typst() then
    if div.classes:includes("figur") then
      div.attributes["typst:breakable"] = "false"
      div.attributes["typst:width"] = "100%"
      return div
    elseif div.classes:includes("kilde") or div.classes:includes("note") then
      return typst_call("kpb-kilde", "", div.content)
    end
  end
  -- Unchanged: nil, so pandoc keeps the div as it is instead of reading it (and all it
  -- holds) back from Lua.
  return nil
end

-- One traversal (pandoc's typewise order: inlines such as Quoted first, then blocks from the
-- innermost out, then the whole document), as every traversal costs a copy of the document.
return {
  {
    Str = Str,
    Image = unhyphenate_image,
    Quoted = Quoted,
    Figure = function(figure)
      return is_typst() and typst_figure(figure) or nil
    end,
    Header = unhyphenate_header,
    Div = div_filter,
    BlockQuote = quote_block,
    Pandoc = function(doc)
      doc.meta = unhyphenate_meta(doc.meta)
      doc.blocks = structure(unnumber_children(doc.blocks))
      return doc
    end,
  },
}
