"""Word manuscripts made by the tests with python-docx, as editors receive them.

Each maker writes a .docx and returns what must come out of it: the title, the paragraphs, the
sub-heads, the captions and photo credits, as the printed page must show them. What python-docx
cannot write (footnotes, text boxes, tracked changes) is put into the package's XML afterwards,
the way Word writes it.
"""
import io
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt
from PIL import Image, ImageDraw

ZWSP = "\u200b"


def photo(fmt="JPEG", size=(900, 600), colour=(40, 90, 160)):
    """A photo-like picture (a gradient with a disc), as bytes of the given format."""
    im = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(im)
    for x in range(0, size[0], 8):
        draw.line([(x, 0), (x, size[1])], fill=(colour[0], (x * 255) // size[0], colour[2]), width=8)
    draw.ellipse([size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2], fill=(230, 200, 60))
    out = io.BytesIO()
    im.save(out, fmt)
    return out.getvalue()


def _picture_paragraph(document, data, width_cm=12):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))
    return p


def styled(path):
    """Word styles: Title, Subtitle-like ——line, byline, Heading 1 sub-heads, two photos, a credit line."""
    d = docx.Document()
    d.add_paragraph("市政协召开专题协商会 聚焦冰雪经济", style="Title")
    d.add_paragraph("——委员们为冰雪旅游高质量发展建言献策")
    d.add_paragraph("文/张凤翔")
    d.add_paragraph("\u3000\u30001月10日,市政协召开专题协商会,围绕冰雪经济高质量发展协商议政。市政协主席孙坤出席会议并讲话。")
    _picture_paragraph(d, photo("JPEG"))
    d.add_paragraph("图为专题协商会现场。刘达齐 摄")
    d.add_paragraph("一、打造冰雪旅游品牌", style="Heading 1")
    p = d.add_paragraph("\u3000\u3000会议认为,冰雪是哈尔滨最亮丽的名片")
    p.add_run().add_break(WD_BREAK.LINE)             # a soft return inside a sentence: joined
    p.add_run("要把冰雪资源优势转化为发展优势。")
    d.add_paragraph("\u3000\u3000委员们建议,加快建设冰雪旅游度假区,办好第39届冰雪节,推出12条精品线路。")
    d.add_paragraph("二、完善冰雪产业链条", style="Heading 1")
    d.add_paragraph(f"\u3000\u3000会议强调,要培育冰雪装备制造{ZWSP}企业,做强冰雪体育赛事!")
    _picture_paragraph(d, photo("PNG", (800, 800), (150, 40, 40)), width_cm=8)
    d.add_paragraph("委员们在冰雪大世界调研 哈尔滨日报 王越 供图")
    d.add_paragraph("（全媒体工作室 李威）")
    d.save(path)
    _float_last_picture(path)
    return {
        "title": "市政协召开专题协商会 聚焦冰雪经济",
        "subtitle": "委员们为冰雪旅游高质量发展建言献策",
        "byline": "文/张凤翔",
        "credit": "全媒体工作室 李威",
        "subheads": ["一、打造冰雪旅游品牌", "二、完善冰雪产业链条"],
        "paragraphs": [
            "1月10日，市政协召开专题协商会，围绕冰雪经济高质量发展协商议政。市政协主席孙坤出席会议并讲话。",
            "会议认为，冰雪是哈尔滨最亮丽的名片要把冰雪资源优势转化为发展优势。",
            "委员们建议，加快建设冰雪旅游度假区，办好第39届冰雪节，推出12条精品线路。",
            "会议强调，要培育冰雪装备制造企业，做强冰雪体育赛事！",
        ],
        "captions": [("图为专题协商会现场。", "刘达齐 摄"), ("委员们在冰雪大世界调研", "哈尔滨日报 王越 供图")],
    }


def plain(path):
    """No styles at all: a bold, centred, larger title; a short bold sub-head; soft returns as typed."""
    d = docx.Document()
    t = d.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = t.add_run("政协委员走进社区 倾听群众心声")
    r.bold, r.font.size = True, Pt(18)
    d.add_paragraph("记者 董牧寒")
    d.add_paragraph("\u3000\u3000春节前夕,市政协委员走进道里区河江社区,与居民面对面交流 (座谈会持续2个小时) 。")
    d.add_paragraph("\u3000\u3000居民们说:\"委员们带来了温暖!\"")
    b = d.add_paragraph()
    b.add_run("委员心声").bold = True
    p = d.add_paragraph("\u3000\u3000“我们要把群众的呼声带到协商会上。”")
    p.add_run().add_break(WD_BREAK.LINE)             # a soft return followed by an indent: a new paragraph
    p.add_run("\u3000\u3000一位委员这样说。他表示,今年将提交3件提案。")
    _picture_paragraph(d, photo("JPEG", (1000, 700), (30, 120, 60)))
    d.add_paragraph("图：委员与社区居民座谈（孙岩 摄）")
    d.add_paragraph("\u3000\u3000活动最后,委员们为困难群众送去了米、面、油等慰问品。")
    d.save(path)
    return {
        "title": "政协委员走进社区 倾听群众心声",
        "byline": "记者 董牧寒",
        "subheads": ["委员心声"],
        "paragraphs": [
            "春节前夕，市政协委员走进道里区河江社区，与居民面对面交流（座谈会持续2个小时）。",
            "居民们说：“委员们带来了温暖！”",
            "“我们要把群众的呼声带到协商会上。”",
            "一位委员这样说。他表示，今年将提交3件提案。",
            "活动最后，委员们为困难群众送去了米、面、油等慰问品。",
        ],
        "captions": [("图：委员与社区居民座谈", "孙岩 摄")],
    }


def with_extras(path):
    """A manuscript with what cannot be imported: a table with merged cells, a footnote, a text box, a comment-free
    tracked insertion (imported as accepted) and a tracked deletion."""
    d = docx.Document()
    d.add_paragraph("全市政协系统创新工作综述", style="Heading 1")
    p = d.add_paragraph("\u3000\u30002022年,全市政协系统创新工作取得新成效")
    p.add_run("FOOTNOTE-HERE")
    p.add_run("。")
    p = d.add_paragraph("\u3000\u3000各区县(市)政协积极探索")
    for text in ("INSERTION-HERE", "履职新方式", "DELETION-HERE", "。"):
        p.add_run(text)
    table = d.add_table(rows=3, cols=2)       # merged cells: no pipe table holds it
    for cell, value in zip(table._cells, ("项目", "数量", "提案", "512件", "", "")):
        cell.text = value
    table.cell(2, 0).merge(table.cell(2, 1)).text = "合计"
    d.add_paragraph("\u3000\u3000表中数字截至年底。").add_run("TEXTBOX-HERE")
    d.add_comment(d.paragraphs[-1].runs[0], text="请核实数字", author="编辑")
    d.add_paragraph("ALTERNATE-HERE")
    d.add_paragraph().add_run("CONTROL-HERE")
    d.sections[0].header.paragraphs[0].text = "哈尔滨政协 来稿"
    d.save(path)
    _edit_document_xml(path, {
        "FOOTNOTE-HERE": '<w:r><w:footnoteReference w:id="1"/></w:r>',
        "INSERTION-HERE": '<w:ins w:id="7" w:author="编辑" w:date="2023-01-05T00:00:00Z"><w:r><w:t>协商议政</w:t></w:r></w:ins>',
        "DELETION-HERE": '<w:del w:id="8" w:author="编辑" w:date="2023-01-05T00:00:00Z"><w:r><w:delText>删去的话</w:delText></w:r></w:del>',
        "TEXTBOX-HERE": ('<w:r><w:pict><v:shape style="width:100pt;height:40pt"><v:textbox><w:txbxContent>'
                         '<w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'),
        # a content control (a form field): python-docx's Paragraph.text skips it, the import does not
        "CONTROL-HERE": '<w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>以上为内容控件里的字。</w:t></w:r></w:sdtContent></w:sdt>',
        # what WPS writes for its own objects: a choice nobody else reads, and no fallback
        "ALTERNATE-HERE": ('<mc:AlternateContent><mc:Choice xmlns:wpsx="urn:example:wps" Requires="wpsx">'
                           '<wpsx:shape><w:t>只有WPS能读</w:t></wpsx:shape></mc:Choice></mc:AlternateContent>'),
    }, footnote="资料来源：市政协办公厅统计")
    return {
        "title": "全市政协系统创新工作综述",
        "paragraphs": ["2022年，全市政协系统创新工作取得新成效。", "各区县（市）政协积极探索协商议政履职新方式。",
                       "表中数字截至年底。", "以上为内容控件里的字。"],
        "not_imported": ["table", "footnote", "text box", "comment", "content with no fallback", "tracked changes",
                         "header/footer"],
        "missing": ["512", "资料来源", "文本框里的说明", "只有WPS能读"],
    }


def with_table(path):
    """A statistics table as editors type one in Word: a plain grid, ASCII brackets, a | in a cell."""
    d = docx.Document()
    d.add_paragraph("冰雪经济调研报告", style="Title")
    d.add_paragraph("\u3000\u3000调研组走访了全市冰雪企业，主要指标如下:")
    table = d.add_table(rows=3, cols=3)
    for cell, value in zip(table._cells, ("指标", "2021年", "2022年", "游客(万人次)", "894.2", "1,234.5",
                                          "收入|亿元", "119.1", "168.3")):
        cell.text = value
    d.add_paragraph("\u3000\u3000以上数据来自市文旅局。")
    d.save(path)
    return {"title": "冰雪经济调研报告",
            "paragraphs": ["调研组走访了全市冰雪企业，主要指标如下：", "以上数据来自市文旅局。"],
            "table": [["指标", "2021年", "2022年"], ["游客（万人次）", "894.2", "1,234.5"], ["收入|亿元", "119.1", "168.3"]]}


FOOTNOTES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
             '<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')


def _float_last_picture(path):
    """Make the last picture a floating one (wp:anchor), as a photo dragged in Word becomes."""
    def edit(xml):
        start = xml.rindex("<wp:inline")
        end = xml.rindex("</wp:inline>") + len("</wp:inline>")
        inner = xml[xml.index(">", start) + 1:xml.rindex("</wp:inline>")]
        namespaces = " ".join(re.findall(r'xmlns:\w+="[^"]*"', xml[start:xml.index(">", start)]))
        anchor = (f'<wp:anchor {namespaces} distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
                  'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
                  '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
                  '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
                  f'{inner.split("<wp:docPr")[0]}<wp:wrapSquare wrapText="bothSides"/><wp:docPr'
                  f'{inner.split("<wp:docPr", 1)[1]}</wp:anchor>')
        return xml[:start] + anchor + xml[end:]
    _edit_parts(path, {"word/document.xml": edit})


def _edit_parts(path, edits):
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    for name, edit in edits.items():
        parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _edit_document_xml(path, runs, footnote=None):
    """Replace each run holding a placeholder by the given XML; add a footnotes part if asked."""
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    for marker, replacement in runs.items():
        xml, n = re.subn(rf"<w:r>(?:(?!<w:r>).)*?{marker}.*?</w:r>", replacement, xml, flags=re.S)
        assert n == 1, marker
    parts["word/document.xml"] = xml.encode("utf-8")
    if footnote:
        parts["word/footnotes.xml"] = FOOTNOTES.format(text=footnote).encode("utf-8")
        rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
        parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
            '<Relationship Id="rIdFoot1" Target="footnotes.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/footnotes"/></Relationships>')).encode("utf-8")
        types = parts["[Content_Types].xml"].decode("utf-8")
        parts["[Content_Types].xml"] = types.replace("</Types>", (
            '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.footnotes+xml"/></Types>')).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
