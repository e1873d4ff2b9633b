-- Cross-references by label (the notebooks' MyST, see src/analysis/report/dialect/crossrefs.py),
-- numbered when the report is rendered, the same way for both engines and both formats:
--
-- * a paragraph that is only `(label)=` (a MyST target) names the heading right after it: the
--   heading gets the label as its id, and the paragraph goes;
-- * a heading whose label starts with `bilag-` is an appendix: appendices are numbered in their
--   own series, and "Bilag N. " is put in front of the heading's text;
-- * a link to `#label` whose text holds `%s` gets the heading's number there: a chapter's
--   ("kapitel 6"), a section's ("6.2") or an appendix's ("bilag 2"). It stays a link (in the
--   HTML an anchor, in the PDF a typst link to the heading's label).
--
-- A chapter's number is its place among the numbered top-level headings, as pandoc's and
-- typst's numbering count: a heading with the class `unnumbered`, and every heading under one,
-- has none. This runs in the filter's document step, before structure.lua, on the whole document.

local M = {}

local APPENDIX_PREFIX = "bilag-"
local APPENDIX_WORD = "Bilag"
local NUMBER = "%s"

local typst = require("filter.typst")
local spaces = require("filter.spaces")

local SOFT_HYPHEN = "\u{AD}"

-- The label of a paragraph that is only a MyST target, `(label)=`. The filter's element step
-- has run (this is its document step): a listed compound in the label may carry soft hyphens,
-- or in typst be a `#kpb-ord` call (hyphenation.lua), which are read back as the word.
local function target_label(block)
  if block.t ~= "Para" then
    return nil
  end
  local parts = {}
  for _, inline in ipairs(block.content) do
    if inline.t == "Str" then
      parts[#parts + 1] = inline.text:gsub(SOFT_HYPHEN, "")
    elseif inline.t == "RawInline" and typst.word_text(inline) then
      parts[#parts + 1] = typst.word_text(inline)
    else
      return nil
    end
  end
  return table.concat(parts):match("^%(([%w_%-%.:]+)%)=$")
end

local function no_heading(label)
  error("the target (" .. label .. ")= names no heading: a target stands right before one")
end

-- Every list of blocks: targets given to the heading after them.
local function name_headings(blocks)
  local out = pandoc.Blocks {}
  local pending = nil
  for _, block in ipairs(blocks) do
    local label = target_label(block)
    if label then
      if pending then
        no_heading(pending)
      end
      pending = label
    else
      if pending then
        if block.t ~= "Header" then
          no_heading(pending)
        end
        block.identifier = pending
        pending = nil
      end
      out:insert(block)
    end
  end
  if pending then
    no_heading(pending)
  end
  return out
end

-- The headings in reading order (also inside divs).
local function headings(blocks, found)
  for _, block in ipairs(blocks) do
    if block.t == "Header" then
      found[#found + 1] = block
    elseif block.t == "Div" or block.t == "BlockQuote" then
      headings(block.content, found)
    end
  end
  return found
end

-- The number of each labelled heading (nil for one without), appendices numbered on their way.
local function numbers(blocks)
  local found = headings(blocks, {})
  local top = nil
  for _, header in ipairs(found) do
    if top == nil or header.level < top then
      top = header.level
    end
  end
  local counters, unnumbered_at, appendices = {}, nil, 0
  local number = {}
  for _, header in ipairs(found) do
    if unnumbered_at ~= nil and header.level <= unnumbered_at then
      unnumbered_at = nil
    end
    local id = header.identifier
    if unnumbered_at == nil and header.classes:includes("unnumbered") then
      unnumbered_at = header.level
    end
    if unnumbered_at == nil then
      counters[header.level] = (counters[header.level] or 0) + 1
      for level = header.level + 1, 10 do
        counters[level] = nil
      end
      local parts = {}
      for level = top, header.level do
        parts[#parts + 1] = tostring(counters[level] or 0)
      end
      number[id] = table.concat(parts, ".")
    end
    if id:sub(1, #APPENDIX_PREFIX) == APPENDIX_PREFIX then
      appendices = appendices + 1
      number[id] = tostring(appendices)
      local prefix = pandoc.Inlines { pandoc.Str(APPENDIX_WORD), pandoc.Space(),
                                      pandoc.Str(number[id] .. "."), pandoc.Space() }
      prefix:extend(header.content)
      header.content = prefix
    end
    if id ~= "" and number[id] == nil then
      number[id] = false
    end
  end
  return number
end

local function has_number_mark(inlines)
  local found = false
  inlines:walk { Str = function(str)
    if str.text:find(NUMBER, 1, true) then
      found = true
    end
  end }
  return found
end

-- Quarto's typst writer sets an unnumbered heading without its label, which a link to it needs:
-- there an invisible element before the heading carries the label (default engine: unchanged).
local function anchor_unnumbered(doc, number)
  if quarto == nil or FORMAT ~= "typst" then
    return doc
  end
  local linked = {}
  doc:walk { Link = function(link)
    local label = link.target:match("^#(.+)$")
    if label then
      linked[label] = true
    end
  end }
  return doc:walk { Blocks = function(blocks)
    local out = pandoc.Blocks {}
    for _, block in ipairs(blocks) do
      if block.t == "Header" and linked[block.identifier]
          and (block.classes:includes("unnumbered") or number[block.identifier] == false
            or block.identifier:sub(1, #APPENDIX_PREFIX) == APPENDIX_PREFIX) then
        out:insert(pandoc.RawBlock("typst", "#metadata(none) <" .. block.identifier .. ">"))
      end
      out:insert(block)
    end
    return out
  end }
end

-- The document with its targets, appendix numbers and numbered references.
function M.document(doc)
  doc = doc:walk { Blocks = name_headings }
  local number = numbers(doc.blocks)
  doc = anchor_unnumbered(doc, number)
  return doc:walk { Link = function(link)
    local label = link.target:match("^#(.+)$")
    if label == nil then
      return nil
    end
    if not has_number_mark(link.content) then
      -- a figure's or a table's reference, numbered before the filter (references.py):
      -- »Tabel 3« at a sentence's start is bound as »tabel 3« is (spaces.lua binds a
      -- capitalised word in running text only here, where it cannot be a caption's start)
      link.content = spaces.bind_reference(link.content)
      return link
    end
    local value = number[label]
    if value == nil then
      error("a reference to #" .. label .. ", but no heading of the report has that label")
    elseif value == false then
      error("a reference to #" .. label .. " asks for its number (" .. NUMBER
        .. "), but that heading has none")
    end
    link.content = link.content:walk { Str = function(str)
      local text = str.text:gsub("%%s", (value:gsub("%%", "%%%%")))
      return pandoc.Str(text)
    end }
    -- "kapitel 3" never divided at a line end (spaces.lua)
    link.content = spaces.bind_reference(link.content)
    return link
  end }
end

return M
