-- Pandoc writer for the default engine: one pandoc run reads the report's markdown once and
-- writes each requested format (the HTML page, the PDF's typst source) from it.
--
-- Reading the markdown is a third of a pandoc run, and the HTML and the PDF are written from
-- the same document, so one run for both saves a read and a process. Each format gets what a
-- run of its own would give: the shared filter (report.lua) applied with FORMAT set to that
-- format, the format's template, variables and contents settings.
--
-- The request is a JSON file named by the variable `kpb-request`:
--   { "formats": [ { "format": "html5" | "typst", "template": path,
--                    "toc_depth": n, "heading_shift": n, "variables": { name: text } } ] }
-- The output is a JSON object: { format: text } for each requested format.

-- The filter beside this writer (pandoc names the writer's own file in PANDOC_SCRIPT_FILE).
local FILTERS = dofile(pandoc.path.join({ pandoc.path.directory(PANDOC_SCRIPT_FILE),
  "report.lua" }))

local function read_file(path)
  local file = io.open(path, "r")
  if file == nil then
    error("cannot read " .. path)
  end
  local text = file:read("a")
  file:close()
  return text
end

local function shifted(doc, by)
  if by == 0 then
    return doc
  end
  return doc:walk { Header = function(header)
    header.level = header.level + by
    return header
  end }
end

local function write(doc, spec)
  FORMAT = spec.format
  doc = shifted(doc, spec.heading_shift or 0)
  for _, filter in ipairs(FILTERS) do
    doc = doc:walk(filter)
  end
  local options = pandoc.WriterOptions {
    template = pandoc.template.compile(read_file(spec.template), spec.template),
    table_of_contents = true,
    toc_depth = spec.toc_depth,
    number_sections = true,
    variables = spec.variables or {},
  }
  return pandoc.write(doc, spec.format, options)
end

function Writer(doc, opts)
  local request = pandoc.json.decode(read_file(tostring(opts.variables["kpb-request"])), false)
  local out = {}
  for _, spec in ipairs(request.formats) do
    out[spec.format] = write(doc, spec)
  end
  return pandoc.json.encode(out)
end
