-- Pandoc filter shared by the report's HTML and PDF (typst) writers.
--
-- * Danish quotation marks: "…" becomes „…“ and '…' becomes ‚…‘ in every format.
-- * A heading under an unnumbered heading (front matter, bilag) is unnumbered too, so
--   pandoc does not print "0.1" in HTML and typst does not number it in the PDF.
-- * Typst only: figures carry their alt text into the PDF (pandoc's typst writer drops it),
--   a figure is kept on one page with its source line, and source lines and notes are small.

local DOUBLE = { "„", "“" }
local SINGLE = { "‚", "‘" }

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

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

local function typst_figure(figure)
  local image = nil
  figure.content:walk { Image = function(img) image = img end }
  if image == nil then
    return nil
  end
  local alt = image.attributes.alt or pandoc.utils.stringify(image.caption)
  local caption = pandoc.write(pandoc.Pandoc(figure.caption.long), "typst"):gsub("%s+$", "")
  local label = figure.identifier ~= "" and ("<" .. figure.identifier .. ">") or ""
  return pandoc.RawBlock("typst", string.format(
    "#figure(image(%s, alt: %s), caption: [%s])%s",
    typst_string(image.src), typst_string(alt), caption, label))
end

local function typst_div(div)
  if div.classes:includes("figur") then
    div.attributes["typst:breakable"] = "false"
    div.attributes["typst:width"] = "100%"
  elseif div.classes:includes("kilde") or div.classes:includes("note") then
    div.attributes["typst:text:size"] = "0.85em"
  end
  return div
end

local filter = {
  Quoted = Quoted,
  Pandoc = function(doc)
    doc.blocks = unnumber_children(doc.blocks)
    return doc
  end,
}

if FORMAT == "typst" then
  filter.Figure = typst_figure
  filter.Div = typst_div
end

return { filter }
