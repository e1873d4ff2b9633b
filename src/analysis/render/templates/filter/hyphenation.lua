-- Hyphenation exceptions.
--
-- `hyphenation.txt` (next to report.lua) lists compounds with the points where they may be
-- divided. Each listed word, with a capital first letter too and followed by one of ENDINGS,
-- gets a soft hyphen (U+00AD) at those points in HTML: a browser with `hyphens: auto` then
-- divides such a word only there (CSS Text 3). In typst the word becomes `#kpb-ord("sam",
-- "arbejds", "trappen");` (design.typ): typst's own hyphenation off inside it, and a soft
-- hyphen between the parts that is left out of the PDF's text unless the line breaks there,
-- so the word is found by a search in the PDF. A word listed without any point is never
-- divided: a `#kpb-ord` of one part in typst, a span of class `udelt` (`hyphens: manual`) in
-- HTML.
--
-- Headings, an image's alt text and the title page's fields stay as typed (M.unhyphenate).

local typst = require("filter.typst")

local M = {}

local SOFT_HYPHEN = "\u{AD}"
M.SOFT_HYPHEN = SOFT_HYPHEN
-- Inflections a listed word may carry and still be that word (trappe-n, plan-erne, ...).
local ENDINGS = {}
for _, ending in ipairs({ "", "e", "en", "ens", "er", "erne", "ernes", "ers", "es", "et",
    "ets", "n", "ne", "nes", "ns", "r", "re", "rne", "rnes", "rs", "s", "t", "ts" }) do
  ENDINGS[ending] = true
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
      -- a word without a hyphen is never divided ("time": "timerne" stays whole)
      entries[#entries + 1] = { word = word, breaks = breaks }
    end
  end
  file:close()
  table.sort(entries, function(a, b)
    return #a.word > #b.word or (#a.word == #b.word and a.word < b.word)
  end)
  return entries
end

-- `require` gives a module its file's path: this file is in filter/, the list one folder up.
local _, this_file = ...
local HYPHENATION = read_hyphenation(pandoc.path.join({
  pandoc.path.directory(pandoc.path.directory(this_file)), "hyphenation.txt" }))
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

-- A listed word may also end a longer compound (»beboerforening«, »fagdirektøren«): the
-- compound is divided at the joint before it and at the listed word's own points, its first
-- part kept whole. So that a short word is not found inside an unrelated one, the listed
-- word has at least this many letters, and the part before it at least SUFFIX_HEAD.
local SUFFIX_WORD, SUFFIX_HEAD = 6, 3

-- the number of letters in text[from..to]
local function letter_count(text, from, to)
  local count, i = 0, from
  while i <= to do
    local length = letter_length(text, i)
    if length == 0 then
      return count
    end
    count, i = count + 1, i + length
  end
  return count
end

-- The byte where the word holding byte `i` starts.
local function word_start(text, i)
  while letter_before(text, i - 1) do
    i = i - 1
    while i > 1 and text:byte(i) >= 128 and text:byte(i) <= 191 do
      i = i - 1
    end
  end
  return i
end

-- The text's pieces: plain text (a string) and divisible words (a list of their parts); nil
-- when it holds no listed word.
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
  -- hits: a listed word (rank 1), a compound ending in one (rank 2), a word after a number
  -- and a hyphen (rank 3); where two start at the same byte the lower rank wins
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
          out[#out + 1] = { first = first, after = after, word = word, rank = 1 }
          changed = true
        end
      elseif #entry.word >= SUFFIX_WORD then
        local head = word_start(text, first)
        if letter_count(text, head, first - 1) >= SUFFIX_HEAD then
          local word, after = hyphenated_at(text, first, entry)
          if word then
            table.insert(word, 1, text:sub(head, first - 1))
            out[#out + 1] = { first = head, after = after, word = word, rank = 2 }
            changed = true
          end
        end
      end
    end
  end
  -- A word joined to a number by a hyphen (»2015-rapportens«) is divided only at that
  -- hyphen: typst's own hyphenation would part it anywhere (»2015-rap-portens«).
  for first in text:gmatch("%d%-()") do
    if letter_length(text, first) > 0 then
      local after = first
      while letter_length(text, after) > 0 do
        after = after + letter_length(text, after)
      end
      if letter_count(text, first, after - 1) > 5 then
        out[#out + 1] = { first = first, after = after, word = { text:sub(first, after - 1) },
          rank = 3 }
        changed = true
      end
    end
  end
  if not changed then
    return nil
  end
  table.sort(out, function(a, b)
    if a.first ~= b.first then
      return a.first < b.first
    end
    return a.rank < b.rank or (a.rank == b.rank and a.after > b.after)
  end)
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

-- text -> its pieces, or false: a report repeats its words, and the report's pandoc filters
-- the same words for both formats, and for report after report.
local PIECES, KEPT_PIECES = {}, 0
-- A pandoc that renders report after report (report_server.lua) meets new words in each (names,
-- numbers); the memo starts afresh when it holds this many.
local MAX_PIECES = 50000

-- The filter's Str step: a listed word gets its soft hyphens (HTML) or its `#kpb-ord` (typst).
function M.Str(str)
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
  if not typst.active() then
    local inlines, texts = pandoc.Inlines {}, {}
    for _, piece in ipairs(pieces) do
      if type(piece) == "table" and #piece == 1 then
        -- never divided: a span the browser does not hyphenate
        if #texts > 0 then
          inlines:insert(pandoc.Str(table.concat(texts)))
          texts = {}
        end
        inlines:insert(pandoc.Span({ pandoc.Str(piece[1]) }, pandoc.Attr("", { "udelt" })))
      else
        texts[#texts + 1] = type(piece) == "table" and table.concat(piece, SOFT_HYPHEN) or piece
      end
    end
    if #inlines == 0 then
      return pandoc.Str(table.concat(texts))
    end
    if #texts > 0 and table.concat(texts) ~= "" then
      inlines:insert(pandoc.Str(table.concat(texts)))
    end
    return inlines
  end
  local inlines = pandoc.Inlines {}
  for _, piece in ipairs(pieces) do
    if type(piece) == "table" then
      inlines:insert(typst.word(piece))
    elseif piece ~= "" then
      inlines:insert(pandoc.Str(piece))
    end
  end
  return inlines
end

-- Personal names are never divided (»Frederik-sen«): the authors of a reference in the
-- author-year form, in the text and in the list of references alike (»Frederiksen & Breau
-- 2015«, »(Mygind, Kjeldsen & Rhod 2014;«, »Frederiksen & Madsen (2013);«). A reference is
-- a year (»2014«, »(2013);«, »2011a,«) after one or more capitalised words joined by
-- commas, »&« or »et al.«; each such word is kept whole (a `#kpb-ord` of one part in
-- typst, a span of class `udelt` in HTML). Words of five letters or fewer are never divided
-- anyway (design.typ, report.css).
local YEAR = "^%(?%d%d%d%d%l?[%),;%.]*$"
local CONNECTORS = { ["&"] = true, et = true, ["al."] = true }

-- lead, name, trail of a capitalised word (»(Mygind,« -> "(", "Mygind", ","), or nil
local function name_parts(text)
  local lead, name, trail = text:match("^(%(?)([A-Z\195][%a\128-\191\195%-]*)([,]?)$")
  if name == nil or (name:byte(1) == 195 and not name:find("^\195[\128-\158]")) then
    return nil
  end
  if name:find("[%a\128-\191][A-Z]") or name:find("[%a\128-\191]\195[\128-\158]") then
    return nil  -- an abbreviation (»CFBU«) or a word in capitals: not a name
  end
  return lead, name, trail
end

local function is_space(inline)
  return inline ~= nil and (inline.t == "Space" or inline.t == "SoftBreak")
end

local function whole(lead, name, trail)
  local inlines = pandoc.Inlines {}
  if lead ~= "" then
    inlines:insert(pandoc.Str(lead))
  end
  if typst.active() then
    inlines:insert(typst.word({ name }))
  else
    inlines:insert(pandoc.Span({ pandoc.Str(name) }, pandoc.Attr("", { "udelt" })))
  end
  if trail ~= "" then
    inlines:insert(pandoc.Str(trail))
  end
  return inlines
end

-- The filter's Inlines step for references: the inlines with the authors' names kept whole,
-- or nil when there were none.
function M.names(inlines)
  local names = {}
  for i = 1, #inlines do
    local year = inlines[i]
    if year.t == "Str" and year.text:match(YEAR) then
      local j = i - 1
      while is_space(inlines[j]) and inlines[j - 1] and inlines[j - 1].t == "Str" do
        local text = inlines[j - 1].text
        if CONNECTORS[text] then
          j = j - 2
        else
          local lead, name, trail = name_parts(text)
          if name == nil then
            break
          end
          local letters = name:gsub("%-", "")
          if letter_count(letters, 1, #letters) > 5 then
            names[j - 1] = { lead, name, trail }
          end
          if lead ~= "" then
            break
          end
          j = j - 2
        end
      end
    end
  end
  if next(names) == nil then
    return nil
  end
  local out = pandoc.Inlines {}
  for i, inline in ipairs(inlines) do
    local name = names[i]
    if name then
      out:extend(whole(name[1], name[2], name[3]))
    else
      out:insert(inline)
    end
  end
  return out
end

-- Headings and the title page's fields stay as typed: headings are never divided, and they
-- become the contents, the PDF's bookmarks and the page's title. An image's description is
-- its alt text: read aloud, never divided.
function M.unhyphenate_str(str)
  local text, count = str.text:gsub(SOFT_HYPHEN, "")
  return count > 0 and pandoc.Str(text) or nil
end

function M.unhyphenate_raw(raw)
  local word = typst.word_text(raw)
  return word and pandoc.Str(word) or nil
end

local UNHYPHENATE = { Str = M.unhyphenate_str, RawInline = M.unhyphenate_raw }

-- A heading or an image as typed.
function M.unhyphenate(element)
  return element:walk(UNHYPHENATE)
end

function M.unhyphenate_meta(meta)
  return pandoc.Pandoc({}, meta):walk(UNHYPHENATE).meta
end

return M
