-- Cutting a report's markdown into parts that pandoc reads to the same blocks one at a time
-- as in the whole document (tests/render/test_report_server.py holds the markdown it is
-- proved on). A part starts with a paragraph, heading or fenced div after a blank line,
-- outside any fenced div and any multiline table. Markdown that refers across parts, or may
-- hold a blank line and a heading, sends the document to be read whole.

local M = {}

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
-- read as a whole. (A link to a heading by its text is found once the parts are read.)
local function whole_only(line, depth)
  return line:match("^%s*```") or line:match("^%s*~~~")            -- code blocks
    or (line:match("^%s*<") and not line:match("^%s*<!%-%-.*%-%->%s*$"))  -- raw HTML
    or line:match("^ ? ? ?%[[^%]]+%]:")                             -- references, footnotes
    or line:match("^%-%-%-%s*$")                                    -- perhaps a YAML block
    or (depth == 0 and (line:match("^%s*[:~]%s") or line:match("^Table:")))  -- captions, terms
    or line:find("[^", 1, true) or line:find("(@", 1, true)        -- footnotes, examples
    or line:match("^%s*@[%w_%-]*[.)]")                              -- examples: "@." items
end

-- A table's rule: dashes, or dashed columns ("---- ------"). A multiline table's rows may
-- start at the margin and are apart by blank lines; the table ends with a rule and a blank
-- line. So no part starts after a rule until a rule is followed by a blank line (at once
-- after a horizontal rule or a heading's underline; at the next such rule after a simple
-- table, which ends at a blank line, but is not told from a multiline one here).
local function is_rule(line)
  return line:match("^%s*%-%-%-[%- ]*$") ~= nil
end

-- The body cut before each part, or nil when it must be read as a whole.
function M.split(body)
  if body:sub(1, 1) == "%" then
    return nil   -- a title block (pandoc_title_block): metadata, which a part's reading drops
  end
  -- the start of the body is as after a blank line
  local parts, from, depth, blank, fence = {}, 1, 0, true, false
  local table_open, ruled = false, false
  local pos, size = 1, #body
  while pos <= size do
    local stop = body:find("\n", pos, true) or size + 1
    local line = body:sub(pos, stop - 1)
    if line:match("^%s*$") then
      blank = true
      if ruled then
        table_open = false
      end
      ruled = false
    else
      -- a definition makes the line before it a term, a fence line too
      if whole_only(line, depth) or (fence and line:match("^%s*[:~]%s")) then
        return nil
      end
      if blank and depth == 0 and not table_open and starts_part(line) and pos > 1 then
        parts[#parts + 1] = body:sub(from, pos - 1)
        from = pos
      end
      ruled = is_rule(line)
      table_open = table_open or ruled
      if line:match("^:::+%s*$") then
        depth = depth - 1
        if depth < 0 then
          return nil
        end
      elseif line:match("^:::+") then
        -- A fence opens a div only where a block may start: right after a paragraph's line
        -- (or a list item's) it is that paragraph's text. The lines alone do not tell which.
        if not (blank or fence) then
          return nil
        end
        depth = depth + 1
      end
      blank, fence = false, line:match("^:::") ~= nil
    end
    pos = stop + 1
  end
  parts[#parts + 1] = body:sub(from)
  return depth == 0 and parts or nil
end

return M
