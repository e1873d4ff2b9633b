-- Figures and source lines in typst: a figure carries its alt text into the PDF (pandoc's
-- typst writer drops it), a `.figur` div is a `kpb-figur` call (design.typ: a float, kept on
-- one page with its source line), and a `.kilde` or `.note` div is a `kpb-kilde` call.
-- HTML keeps pandoc's own.

local typst = require("filter.typst")

local M = {}

-- The filter's Figure step.
function M.figure(figure)
  if not typst.active() then
    return nil
  end
  local image = nil
  figure.content:walk { Image = function(img) image = img end }
  if image == nil then
    return nil
  end
  local alt = image.attributes.alt or pandoc.utils.stringify(image.caption)
  local caption = typst.blocks(figure.caption.long)
  local label = figure.identifier ~= "" and ("<" .. figure.identifier .. ">") or ""
  return typst.raw(string.format("#figure(image(%s, alt: %s), caption: [%s])%s",
    typst.string(image.src), typst.string(alt), caption, label))
end

-- A `.figur`, `.kilde` or `.note` div in typst; nil for any other div, and in HTML.
function M.div(div)
  if not typst.active() then
    return nil
  end
  if div.classes:includes("figur") then
    return typst.call("kpb-figur", "", div.content)
  elseif div.classes:includes("kilde") or div.classes:includes("note") then
    return typst.call("kpb-kilde", "", div.content)
  end
  return nil
end

return M
