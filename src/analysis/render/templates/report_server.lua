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
-- (server/parts.lua), and what a part gave is kept for the next reports (server/reuse.lua).
-- The filter's document-level step (lead paragraphs, panels, unnumbered children) needs the
-- whole document: it runs on the whole document, after the parts. Markdown that refers across
-- parts or may hold a blank line and a heading (footnotes, reference links, example lists,
-- code blocks, raw HTML, a YAML block, a top-level caption or definition, a link to a heading
-- by its text) is read and filtered as one, as the command line does.

-- This folder's modules, found as report.lua finds its own.
local HERE = pandoc.path.directory(arg[0])   -- `pandoc lua` gives this script's path as arg[0]
local modules = pandoc.path.join({ HERE, "?.lua" })
if not package.path:find(modules, 1, true) then
  package.path = modules .. ";" .. package.path
end
local reuse = require("server.reuse")

-- The filter, loaded as pandoc loads a filter: PANDOC_SCRIPT_FILE names it.
PANDOC_SCRIPT_FILE = pandoc.path.join({ HERE, "report.lua" })
local FILTERS = dofile(PANDOC_SCRIPT_FILE)

local function read_file(path)
  local file = io.open(path, "r")
  if file == nil then
    error("cannot read " .. path)
  end
  local text = file:read("a")
  file:close()
  return text
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
  reuse.next_report()
  local reader = request.reader
  local meta = pandoc.read("---\n" .. request.metadata .. "\n---\n", reader).meta
  local read = reuse.read(request.body, reader)
  local whole = nil
  if read == nil then
    whole = pandoc.read(request.body, reader, reuse.READER_OPTIONS)
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
      doc = pandoc.Pandoc(reuse.filtered(read, spec, ELEMENTS),
        element_steps(pandoc.Pandoc({}, meta), spec).meta)
    end
    out[spec.format] = write(document_step(doc), spec)
  end
  reuse.forget_unused()
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
