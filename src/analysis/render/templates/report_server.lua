-- The default engine's pandoc, kept running for many reports: `pandoc lua report_server.lua`.
--
-- Each request (one JSON line on stdin) is one report: its markdown, its metadata (YAML) and
-- the formats to write (the HTML page, the PDF's typst source). Each format gets what pandoc's
-- own command line gives for it with the shared filter (report.lua): the same reading, the
-- filter applied with FORMAT set to that format, the format's template, contents depth and
-- heading shift. The answer is one status byte ("0": JSON follows,
-- { outputs = { format: text }, read = "parts" | "whole" }; "1": an error message follows),
-- the length of what follows as 8 bytes big-endian, and that text.
--
-- Reports of one batch share most of their text: only the municipality's own numbers, marks
-- and panels differ. So the markdown is read, and filtered for each format, a part at a time
-- (a part starts with a paragraph, heading or fenced div after a blank line, outside any
-- fenced div), and what a part gave is kept for the next reports. A part's blocks do not
-- depend on the rest of the document, with three exceptions that are handled here:
--   * headings without an id get one made from their text, unique in the whole document
--     (pandoc's `uniqueIdent`): parts are read without automatic ids, and the ids are given
--     afterwards, in document order, with pandoc's own function;
--   * the filter's document-level step (lead paragraphs, panels, unnumbered children) needs
--     the whole document: it runs on the whole document, after the parts;
--   * markdown that refers across parts or may hold a blank line and a heading (footnotes,
--     reference links, example lists, code blocks, raw HTML, a YAML block, a top-level caption
--     or definition, a link to a heading by its text): then the whole document is read and
--     filtered as one, as the command line does.

local FILTERS = dofile(pandoc.path.join({ pandoc.path.directory(arg[0]), "report.lua" }))
-- A part's reading and filtering is kept while one of the last KEEP reports used it.
local KEEP = 3

local function read_file(path)
  local file = io.open(path, "r")
  if file == nil then
    error("cannot read " .. path)
  end
  local text = file:read("a")
  file:close()
  return text
end

-- Parts -------------------------------------------------------------------------------------

-- Can a line after a blank line start a part of its own? Only if it begins a paragraph, a
-- heading or a fenced div, which end whatever block came before: not a list item, a quote, a
-- table, an indented block or a caption, which pandoc may join to the block before (a caption
-- outside a div sends the document to be read whole, see whole_only).
local function starts_part(line)
  local byte = line:byte(1)
  if byte == nil or byte == 32 or byte == 9 then
    return false
  end
  if line:match("^:::") then
    return true
  end
  if not (line:match("^[%w\"'*_%[!`#\\]") or byte >= 0xC2) then
    return false
  end
  return not (line:match("^[*+%-]%s") or line:match("^#%.") or line:match("^%d+[.)]%s")
    or line:match("^%d+[.)]$") or line:match("^%a[.)]%s")
    or line:match("^[ivxlcdmIVXLCDM]+[.)]%s"))
end

-- Markdown that refers across parts or may hold anything, headings too: then the document is
-- read as a whole.
local function whole_only(line, depth)
  return line:match("^%s*```") or line:match("^%s*~~~")            -- code blocks
    or (line:match("^%s*<") and not line:match("^%s*<!%-%-.*%-%->%s*$"))  -- raw HTML
    or line:match("^ ? ? ?%[[^%]]+%]:")                             -- references, footnotes
    or line:match("^%-%-%-%s*$")                                    -- perhaps a YAML block
    or (depth == 0 and (line:match("^[:~]%s") or line:match("^Table:")))  -- captions, terms
    or line:find("[^", 1, true) or line:find("(@", 1, true)        -- footnotes, examples
end

-- The body cut before each paragraph, heading or fenced div that follows a blank line outside
-- any fenced div; nil when it must be read as a whole.
local function parts_of(body)
  local parts, from, depth, blank = {}, 1, 0, false
  local pos, size = 1, #body
  while pos <= size do
    local stop = body:find("\n", pos, true) or size + 1
    local line = body:sub(pos, stop - 1)
    if line:match("^%s*$") then
      blank = true
    else
      if whole_only(line, depth) then
        return nil
      end
      if blank and depth == 0 and starts_part(line) then
        parts[#parts + 1] = body:sub(from, pos - 1)
        from = pos
      end
      blank = false
      if line:match("^:::+%s*$") then
        depth = depth - 1
        if depth < 0 then
          return nil
        end
      elseif line:match("^:::+") then
        depth = depth + 1
      end
    end
    pos = stop + 1
  end
  parts[#parts + 1] = body:sub(from)
  return depth == 0 and parts or nil
end

local function normal(text)
  return pandoc.text.lower(text):gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
end

-- Does a bracketed text that is not a link, span or image name a heading? Then it may be a
-- link to that heading (implicit header references), which only the whole document resolves.
local function refers_to_heading(body, headings)
  for before, inner, after in body:gmatch("(.?)%[([^%[%]\n]+)%](.?)") do
    if before ~= "!" and not after:match("[%(%[{:]") and headings[normal(inner)] then
      return true
    end
  end
  return false
end

-- What was read of each part (its blocks, headings without an id having an empty one, and its
-- headings), and what each format's filter made of it; both kept for KEEP reports.
local READ = {}
local FILTERED = {}
local GENERATION = 0

local function forget_unused()
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
-- it is a fenced raw block, which no part holds (see whole_only).
local CUT = "kpb-part"
local CUT_MARKDOWN = "\n\n```{=" .. CUT .. "}\n```\n\n"

local function is_cut(block)
  return block.t == "RawBlock" and block.format == CUT
end

local function cut_apart(blocks, count)
  local groups, current = {}, pandoc.Blocks {}
  for _, block in ipairs(blocks) do
    if is_cut(block) then
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
  local blocks = pandoc.read(table.concat(new, CUT_MARKDOWN), reader .. "-auto_identifiers").blocks
  local groups = cut_apart(blocks, #new)
  local headings, group = { {} }, 1
  pandoc.Pandoc(blocks):walk {
    Header = function(header)
      local list = headings[group]
      -- its text as a link to it would name it (see refers_to_heading)
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
    READ[part] = { blocks = groups[i], headings = headings[i] }
  end
end

-- The parts of `body` with their heading ids, or nil when it must be read as a whole.
local function read_parts(body, reader)
  local parts = parts_of(body)
  if parts == nil then
    return nil
  end
  read_new(parts, reader)
  local read, used, headings = {}, {}, {}
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
    read[i] = { part = part, entry = entry, ids = ids }
  end
  if refers_to_heading(body, headings) then
    return nil
  end
  return read
end

-- Writing ---------------------------------------------------------------------------------

local function shifted(doc, by)
  if by == 0 then
    return doc
  end
  return doc:walk { Header = function(header)
    header.level = header.level + by
    return header
  end }
end

-- The filter's element steps and the document-level step, apart.
local ELEMENTS, DOCUMENT = {}, {}
for i, filter in ipairs(FILTERS) do
  ELEMENTS[i], DOCUMENT[i] = {}, filter.Pandoc
  for name, fn in pairs(filter) do
    if name ~= "Pandoc" then
      ELEMENTS[i][name] = fn
    end
  end
end

local function element_steps(doc, spec)
  doc = shifted(doc, spec.heading_shift or 0)
  for _, filter in ipairs(ELEMENTS) do
    doc = doc:walk(filter)
  end
  return doc
end

local function document_step(doc)
  for _, step in ipairs(DOCUMENT) do
    if step then
      doc = step(doc) or doc
    end
  end
  return doc
end

-- Each part's blocks with its heading ids, shifted and through the filter's element steps.
local function filtered_parts(read, spec)
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
    for _, filter in ipairs(ELEMENTS) do
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

local TEMPLATES = {}

local function template(path)
  local text = read_file(path)
  local compiled = TEMPLATES[path]
  if compiled == nil or compiled.text ~= text then
    compiled = { text = text, template = pandoc.template.compile(text, path) }
    TEMPLATES[path] = compiled
  end
  return compiled.template
end

local function write(doc, spec)
  local options = pandoc.WriterOptions {
    template = template(spec.template),
    table_of_contents = true,
    toc_depth = spec.toc_depth,
    number_sections = true,
    variables = spec.variables or {},
  }
  return pandoc.write(doc, spec.format, options)
end

local function render(request)
  GENERATION = GENERATION + 1
  local reader = request.reader
  local meta = pandoc.read("---\n" .. request.metadata .. "\n---\n", reader).meta
  local read = read_parts(request.body, reader)
  local whole = nil
  if read == nil then
    whole = pandoc.read(request.body, reader)
    for key, value in pairs(whole.meta) do   -- the document's own metadata wins, as in pandoc
      meta[key] = value
    end
  end
  local out = {}
  for _, spec in ipairs(request.formats) do
    FORMAT = spec.format
    local doc
    if whole then
      doc = element_steps(pandoc.Pandoc(whole.blocks, meta), spec)
    else
      doc = pandoc.Pandoc(filtered_parts(read, spec),
        element_steps(pandoc.Pandoc({}, meta), spec).meta)
    end
    out[spec.format] = write(document_step(doc), spec)
  end
  forget_unused()
  local answer = pandoc.json.encode({ outputs = out, read = whole and "whole" or "parts" })
  -- What was forgotten is held by Lua values that are small for Lua but big for pandoc, so
  -- Lua's own pace of collection would let pandoc's memory grow report after report.
  collectgarbage()
  return answer
end

local function answer(status, text)
  io.stdout:write(status, string.pack(">I8", #text), text)
  io.stdout:flush()
end

for line in io.stdin:lines() do
  local ok, result = pcall(function()
    return render(pandoc.json.decode(line, false))
  end)
  if ok then
    answer("0", result)
  else
    answer("1", tostring(result))
  end
end
