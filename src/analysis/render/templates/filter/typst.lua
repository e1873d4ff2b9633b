-- Writing typst from the filter: strings, plain text without pandoc's writer, calls of the
-- house design's functions (design.typ, report.typ), and the `#kpb-ord` form of a word that
-- may be divided only at listed points (see hyphenation.lua).

local M = {}

-- Read when a function runs, not when the filter loads: the report's pandoc (report_server.lua)
-- applies the filter once for each format of a report, setting FORMAT before each.
function M.active()
  return FORMAT == "typst"
end

function M.string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

local WORD_CALL = "^#kpb%-ord%("

-- A listed compound in typst: `#kpb-ord("sam", "arbejds", "trappen");` (design.typ).
function M.word(parts)
  local args = {}
  for i, part in ipairs(parts) do
    args[i] = '"' .. part .. '"'   -- letters only (see hyphenation.lua): nothing to escape
  end
  -- the semicolon ends the call, so a "(" or "[" after the word stays text
  return pandoc.RawInline("typst", "#kpb-ord(" .. table.concat(args, ", ") .. ");")
end

-- The whole word of a listed compound written by M.word; nil for any other raw inline.
function M.word_text(raw)
  if raw.format == "typst" and raw.text:match(WORD_CALL) then
    local parts = {}
    for part in raw.text:gmatch('"([^"]*)"') do
      parts[#parts + 1] = part
    end
    return table.concat(parts)
  end
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
      parts[#parts + 1] = "#" .. M.string(table.concat(text))
      text = {}
    end
  end
  for _, inline in ipairs(blocks[1].content) do
    if inline.t == "Str" then
      text[#text + 1] = inline.text
    elseif inline.t == "Space" or inline.t == "SoftBreak" then
      text[#text + 1] = " "
    elseif inline.t == "RawInline" and inline.format == "typst" and inline.text:match(WORD_CALL) then
      flush()
      parts[#parts + 1] = inline.text   -- ends in ";", so what follows is not its argument
    else
      return nil
    end
  end
  flush()
  return #parts > 0 and table.concat(parts) or '#""'
end

-- Typst markup of blocks, or of inlines, to put between "[" and "]".
function M.blocks(blocks)
  return plain_markup(blocks) or pandoc.write(pandoc.Pandoc(blocks), "typst"):gsub("%s+$", "")
end

function M.inlines(inlines)
  return M.blocks({ pandoc.Plain(inlines) })
end

function M.raw(text)
  return pandoc.RawBlock("typst", text)
end

-- Wraps `blocks` in a call of a function of the design: `#name(args)[ blocks ]`.
function M.call(name, args, blocks)
  local out = pandoc.Blocks { M.raw("#" .. name .. "(" .. (args or "") .. ")[") }
  out:extend(blocks)
  out:insert(M.raw("]"))
  return out
end

return M
