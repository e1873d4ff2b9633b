-- What the report's pandoc keeps of each part of a report (parts.lua) for the next reports:
-- its reading, and what each format's filter made of it. A part's blocks do not depend on the
-- rest of the document, with two exceptions handled here:
--   * headings without an id get one made from their text, unique in the whole document
--     (pandoc's `uniqueIdent`): parts are read without automatic ids, and the ids are given
--     afterwards, in document order, with pandoc's own function;
--   * a link to a heading by its text (`[Om rapporten]`, pandoc's implicit header references)
--     only resolves in the whole document: then the document is read whole.

local split = require("server.parts").split

-- A part's reading and filtering is kept while one of the last KEEP reports used it.
local KEEP = 3

local M = {}

-- pandoc's command line reads with the width of its `--columns` (72), which sets the relative
-- widths of grid and multiline tables and of pipe tables with long lines; pandoc.read's own
-- default is 80.
M.READER_OPTIONS = pandoc.ReaderOptions { columns = 72 }

-- What was read of each part (its blocks, headings without an id having an empty one, its
-- headings, the texts in brackets it shows), and what each format's filter made of it.
local READ = {}
local FILTERED = {}
local GENERATION = 0

-- A new report begins.
function M.next_report()
  GENERATION = GENERATION + 1
end

-- What none of the last KEEP reports used is forgotten.
function M.forget_unused()
  for _, cache in ipairs({ READ, FILTERED }) do
    for key, entry in pairs(cache) do
      if entry.used < GENERATION - KEEP + 1 then
        cache[key] = nil
      end
    end
  end
end

-- The parts not yet known are read, or filtered, in one go (each pandoc call costs almost a
-- millisecond of its own), with a raw block of a format of our own between them. In markdown
-- it is a fenced raw block, which no part holds (code blocks send a document to be read whole).
local CUT = "kpb-part"
local CUT_MARKDOWN = "\n\n```{=" .. CUT .. "}\n```\n\n"

local function cut_apart(blocks, count)
  local groups, current = {}, pandoc.Blocks {}
  for _, block in ipairs(blocks) do
    if block.t == "RawBlock" and block.format == CUT then
      groups[#groups + 1], current = current, pandoc.Blocks {}
    else
      current:insert(block)
    end
  end
  groups[#groups + 1] = current
  if #groups ~= count then
    error("the report's parts came back as " .. #groups .. " instead of " .. count)
  end
  return groups
end

local function normal(text)
  return pandoc.text.lower(text):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
end

-- What of a part's reading may name a heading of another part: the texts in brackets that
-- pandoc left as text (a link to a heading read apart from it), and whether it holds a link
-- to a heading of its own, which has no id yet (target "#").
local function references(blocks)
  local brackets, own = {}, false
  local text = pandoc.utils.stringify(pandoc.Pandoc(blocks))
  for inner in text:gmatch("%[([^%[%]]+)%]") do
    brackets[#brackets + 1] = normal(inner)
  end
  pandoc.Pandoc(blocks):walk { Link = function(link)
    own = own or link.target == "#"
  end }
  return brackets, own
end

local function read_new(parts, reader)
  local new, seen = {}, {}
  for _, part in ipairs(parts) do
    if READ[part] == nil and not seen[part] then
      new[#new + 1], seen[part] = part, true
    end
  end
  if #new == 0 then
    return
  end
  local blocks = pandoc.read(table.concat(new, CUT_MARKDOWN), reader .. "-auto_identifiers",
    M.READER_OPTIONS).blocks
  local groups = cut_apart(blocks, #new)
  local headings, group = { {} }, 1
  pandoc.Pandoc(blocks):walk {
    Header = function(header)
      local list = headings[group]
      -- its text as a link to it would name it (see references)
      list[#list + 1] = { id = header.identifier, content = header.content,
        key = normal(pandoc.utils.stringify(header.content)) }
    end,
    RawBlock = function(raw)
      if raw.format == CUT then
        group = group + 1
        headings[group] = {}
      end
    end,
  }
  for i, part in ipairs(new) do
    local brackets, own = {}, false
    if part:find("[", 1, true) then   -- no bracket, no link: most parts
      brackets, own = references(groups[i])
    end
    READ[part] = { blocks = groups[i], headings = headings[i], brackets = brackets, own = own }
  end
end

-- The parts of `body` with their heading ids, or nil when it must be read as a whole.
function M.read(body, reader)
  local parts = split(body)
  if parts == nil then
    return nil
  end
  read_new(parts, reader)
  local read, used, headings, refers = {}, {}, {}, false
  for i, part in ipairs(parts) do
    local entry = READ[part]
    entry.used = GENERATION
    local ids = {}
    for j, heading in ipairs(entry.headings) do
      local id = heading.id
      if id == "" then
        id = pandoc.structure.unique_identifier(heading.content, used, { "auto_identifiers" })
      end
      used[id] = true
      ids[j] = id
      headings[heading.key] = true
    end
    refers = refers or entry.own
    read[i] = { part = part, entry = entry, ids = ids }
  end
  for _, part in ipairs(read) do
    for _, key in ipairs(part.entry.brackets) do
      refers = refers or headings[key] ~= nil
    end
  end
  return not refers and read or nil
end

-- Each part's blocks with its heading ids, shifted and through the filter's element steps
-- (`elements`, a list of filters without their Pandoc step).
function M.filtered(read, spec, elements)
  local by = spec.heading_shift or 0
  local new, seen = {}, {}
  for _, part in ipairs(read) do
    part.key = spec.format .. "\0" .. by .. "\0" .. table.concat(part.ids, "\0") .. "\0"
      .. part.part
    if FILTERED[part.key] == nil and not seen[part.key] then
      new[#new + 1], seen[part.key] = part, true
    end
  end
  if #new > 0 then
    local blocks, ids = pandoc.Blocks {}, {}
    for i, part in ipairs(new) do
      if i > 1 then
        blocks:insert(pandoc.RawBlock(CUT, ""))
      end
      blocks:extend(part.entry.blocks)
      for _, id in ipairs(part.ids) do
        ids[#ids + 1] = id
      end
    end
    local n = 0
    local doc = pandoc.Pandoc(blocks):walk { Header = function(header)
      n = n + 1
      header.identifier = ids[n]
      header.level = header.level + by
      return header
    end }
    for _, filter in ipairs(elements) do
      doc = doc:walk(filter)
    end
    for i, group in ipairs(cut_apart(doc.blocks, #new)) do
      FILTERED[new[i].key] = { blocks = group }
    end
  end
  local out = pandoc.Blocks {}
  for _, part in ipairs(read) do
    local entry = FILTERED[part.key]
    entry.used = GENERATION
    out:extend(entry.blocks)
  end
  return out
end

return M
