<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Background</name>
    <message>
        <source>Raster backgrounds (%1)</source>
        <translation>栅格底图 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>EditController</name>
    <message>
        <source>Without this vertex a ring would have fewer than three points (a line fewer than two); delete the ring or part instead.</source>
        <translation>删除该节点后，环将少于三个点（或线少于两个点）；请改为删除整个环或部件。</translation>
    </message>
    <message>
        <source>Restore unsaved edits</source>
        <translation>恢复未保存的编辑</translation>
    </message>
</context>
<context>
    <name>EditPanels</name>
    <message>
        <source>Zone fields: </source>
        <translation>分区属性：</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Sub-zone</source>
        <translation>分区类别</translation>
    </message>
    <message>
        <source>A code is needed (the zone id is made from it).</source>
        <translation>编码不能为空（分区编号由编码生成）。</translation>
    </message>
    <message>
        <source>The code does not match the pattern </source>
        <translation>编码不符合格式 </translation>
    </message>
    <message>
        <source>✓ code well formed</source>
        <translation>✓ 编码格式正确</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>No unsaved edits</source>
        <translation>没有未保存的编辑</translation>
    </message>
    <message>
        <source>Zones touched</source>
        <translation>涉及分区</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>, +</source>
        <translation>，增 </translation>
    </message>
    <message>
        <source>, −</source>
        <translation>，减 </translation>
    </message>
    <message>
        <source>Area by kind</source>
        <translation>按类型的面积变化</translation>
    </message>
    <message>
        <source>+</source>
        <translation>增 </translation>
    </message>
    <message>
        <source>; −</source>
        <translation>；减 </translation>
    </message>
    <message>
        <source>Guarded coverage lost (saving needs a basis)</source>
        <translation>受保护范围减少（保存须填写调整依据）</translation>
    </message>
    <message>
        <source>Gaps in tiling kinds</source>
        <translation>拼接类型出现空隙</translation>
    </message>
    <message>
        <source>Findings (overlaps, slivers, codes)</source>
        <translation>校验发现（重叠、碎片、编码等）</translation>
    </message>
    <message>
        <source>: loses </source>
        <translation>：减少 </translation>
    </message>
    <message>
        <source>Save as a new version</source>
        <translation>保存为新版本</translation>
    </message>
    <message>
        <source>These edits give up red-line or reserve ground:
</source>
        <translation>这些编辑会减少生态保护红线或自然保护地的范围：
</translation>
    </message>
    <message>
        <source>

State the basis (approval document number and note); it is recorded in the version and shown by redline log and diff.</source>
        <translation>

须填写调整依据（批准文件文号与说明），将记入版本并由 redline log/diff 显示。</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>编辑人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>调整依据</translation>
    </message>
    <message>
        <source>Required: e.g. 辽政函〔2026〕12号</source>
        <translation>必填：例如 辽政函〔2026〕12号</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
</context>
<context>
    <name>EditTools</name>
    <message>
        <source>Move vertex</source>
        <translation>移动节点</translation>
    </message>
    <message>
        <source>Add vertex</source>
        <translation>添加节点</translation>
    </message>
    <message>
        <source>Delete vertex</source>
        <translation>删除节点</translation>
    </message>
    <message>
        <source>Not enough points: a line needs two, a polygon three.</source>
        <translation>点数不够：线至少两个点，面至少三个点。</translation>
    </message>
    <message>
        <source>The new shape lies wholly inside its neighbours (topological editing: avoid overlaps).</source>
        <translation>新图形完全落在相邻分区内（拓扑编辑：避免重叠）。</translation>
    </message>
    <message>
        <source>New zone</source>
        <translation>新建分区</translation>
    </message>
    <message>
        <source>Select a zone first.</source>
        <translation>请先选择一个分区。</translation>
    </message>
    <message>
        <source>Add part</source>
        <translation>添加部件</translation>
    </message>
    <message>
        <source>Draw the hole inside the selected zone.</source>
        <translation>内环须画在所选分区的面内。</translation>
    </message>
    <message>
        <source>Add hole</source>
        <translation>添加内环</translation>
    </message>
    <message>
        <source>Reshape</source>
        <translation>按线修整</translation>
    </message>
    <message>
        <source>The line does not cut the zone in two.</source>
        <translation>分割线没有把分区分成两块以上。</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分割</translation>
    </message>
    <message>
        <source>Move zone</source>
        <translation>移动分区</translation>
    </message>
    <message>
        <source>This is the zone&apos;s only part; to delete the zone, retire it.</source>
        <translation>这是分区唯一的部件；要删除整个分区，请用“注销分区”。</translation>
    </message>
    <message>
        <source>Delete hole</source>
        <translation>删除内环</translation>
    </message>
    <message>
        <source>Delete part</source>
        <translation>删除部件</translation>
    </message>
    <message>
        <source>Merging needs two or more selected zones (Shift-click).</source>
        <translation>合并需要选择至少两个分区（按住 Shift 点选）。</translation>
    </message>
</context>
<context>
    <name>FindingsPanel</name>
    <message>
        <source>Validate</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Next finding</source>
        <translation>下一个问题</translation>
    </message>
    <message>
        <source>Previous finding</source>
        <translation>上一个问题</translation>
    </message>
    <message>
        <source>Validate the current zones (as redline validate does): geometry, overlaps, gaps, slivers, codes and nesting</source>
        <translation>检查当前分区的质量（同 redline validate）：几何、重叠、缝隙、碎片、编码和分区嵌套</translation>
    </message>
    <message>
        <source>Previous finding (Shift+F8)</source>
        <translation>上一个问题（Shift+F8）</translation>
    </message>
    <message>
        <source>Next finding (F8)</source>
        <translation>下一个问题（F8）</translation>
    </message>
    <message>
        <source>Take the findings off the map and the list</source>
        <translation>移除地图上的问题图层和列表</translation>
    </message>
    <message>
        <source>List only the findings of this check</source>
        <translation>只列出此类检查的问题</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>分区类型</translation>
    </message>
    <message>
        <source>Zones</source>
        <translation>分区</translation>
    </message>
    <message>
        <source>Area m²</source>
        <translation>面积 m²</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Click a row to zoom to the finding</source>
        <translation>单击一行缩放到该问题</translation>
    </message>
    <message>
        <source>Validating...</source>
        <translation>正在检查……</translation>
    </message>
    <message>
        <source>Validating: </source>
        <translation>正在检查：</translation>
    </message>
    <message>
        <source>internal error: </source>
        <translation>内部错误：</translation>
    </message>
    <message>
        <source>Every check</source>
        <translation>全部检查</translation>
    </message>
    <message>
        <source>Every check (%1)</source>
        <translation>全部检查（%1）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>version %1: </source>
        <translation>版本 %1：</translation>
    </message>
    <message>
        <source>no findings</source>
        <translation>没有发现问题</translation>
    </message>
    <message>
        <source>%1 findings (%2 errors, %3 warnings)</source>
        <translation>发现问题 %1 项（错误 %2，警告 %3）</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>fix</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>分区类型</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>编辑人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>调整依据</translation>
    </message>
    <message>
        <source>Select a version to show its zones; select two to compare them, or one to compare it with the current zones</source>
        <translation>选择一个版本“显示”其分区；选择两个版本“比较”，只选一个时与当前分区比较</translation>
    </message>
    <message>
        <source>Zones</source>
        <translation>要素</translation>
    </message>
    <message>
        <source>Added/removed/changed</source>
        <translation>新增/删除/修改</translation>
    </message>
    <message>
        <source>Area (ha)</source>
        <translation>面积（公顷）</translation>
    </message>
    <message>
        <source>Gained m²</source>
        <translation>增加 m²</translation>
    </message>
    <message>
        <source>Lost m²</source>
        <translation>减少 m²</translation>
    </message>
    <message>
        <source>No longer covered m²</source>
        <translation>不再覆盖 m²</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>分区</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Fields changed</source>
        <translation>字段变化</translation>
    </message>
    <message>
        <source>Click a row to zoom to the change</source>
        <translation>单击一行缩放到该变化</translation>
    </message>
    <message>
        <source>Draw the selected version&apos;s zones on the map, dashed</source>
        <translation>以虚线在地图上绘出所选版本的分区</translation>
    </message>
    <message>
        <source>Compare the two selected versions, or the selected one with the current zones (as redline diff does)</source>
        <translation>比较所选的两个版本，或所选版本与当前分区（同 redline diff）</translation>
    </message>
    <message>
        <source>Take the version and difference overlays off the map</source>
        <translation>移除地图上的版本和差异图层</translation>
    </message>
    <message>
        <source>Read the workspace&apos;s versions again</source>
        <translation>重新读取工作空间的版本</translation>
    </message>
    <message>
        <source>%1 (current)</source>
        <translation>%1（当前）</translation>
    </message>
    <message>
        <source>%1 zones added, %2 retired</source>
        <translation>新增 %1 个要素，注销 %2 个</translation>
    </message>
    <message>
        <source>
source: </source>
        <translation>
来源：</translation>
    </message>
    <message>
        <source>
made on version %1</source>
        <translation>
基于版本 %1</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>internal error: </source>
        <translation>内部错误：</translation>
    </message>
    <message>
        <source>Reading the zones of version %1...</source>
        <translation>正在读取版本 %1 的分区……</translation>
    </message>
    <message>
        <source>%1: %2 zones, drawn dashed</source>
        <translation>%1：%2 个分区，以虚线绘出</translation>
    </message>
    <message>
        <source>; %1 zones without usable geometry</source>
        <translation>；%1 个分区没有可用的几何</translation>
    </message>
    <message>
        <source>Comparing version %1 with version %2...</source>
        <translation>正在比较版本 %1 与版本 %2……</translation>
    </message>
    <message>
        <source>Comparing version %1 with the current zones...</source>
        <translation>正在比较版本 %1 与当前分区……</translation>
    </message>
    <message>
        <source>current version %1</source>
        <translation>当前版本 %1</translation>
    </message>
    <message>
        <source>Compared: %1 zones changed</source>
        <translation>比较完成：%1 个分区有变化</translation>
    </message>
    <message>
        <source>... and %1 earlier versions</source>
        <translation>……另有 %1 个较早的版本</translation>
    </message>
    <message>
        <source>version %1 %2 %3 %4</source>
        <translation>版本 %1 %2 %3 %4</translation>
    </message>
    <message>
        <source>  by </source>
        <translation>  编辑人 </translation>
    </message>
    <message>
        <source>  basis: </source>
        <translation>  调整依据：</translation>
    </message>
    <message>
        <source>... and %1 more zones that cannot be compared</source>
        <translation>……另有 %1 个分区无法比较</translation>
    </message>
    <message>
        <source>No differences</source>
        <translation>没有差异</translation>
    </message>
    <message>
        <source>Ground the kind&apos;s zones taken together no longer cover (what the rule that the area must not shrink is about)</source>
        <translation>该类型分区合在一起不再覆盖的面积（面积不减少规则所关注的）</translation>
    </message>
    <message>
        <source>no longer covered</source>
        <translation>不再覆盖</translation>
    </message>
    <message>
        <source>was </source>
        <translation>原属 </translation>
    </message>
    <message>
        <source>Click to zoom to it</source>
        <translation>单击缩放到此处</translation>
    </message>
    <message>
        <source>boundary</source>
        <translation>边界</translation>
    </message>
    <message>
        <source>sub-zone</source>
        <translation>分区</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>%1: &apos;%2&apos; → &apos;%3&apos;</source>
        <translation>%1：“%2” → “%3”</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Search and layers</source>
        <translation>查找与图层</translation>
    </message>
    <message>
        <source>Identify</source>
        <translation>查询结果</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Full extent</source>
        <translation>全图</translation>
    </message>
    <message>
        <source>Zoom to every zone (Home)</source>
        <translation>缩放到全部分区（Home）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Show or hide zone names</source>
        <translation>显示或隐藏分区名称</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Open background…</source>
        <translation>打开底图…</translation>
    </message>
    <message>
        <source>Open background</source>
        <translation>打开底图</translation>
    </message>
    <message>
        <source>Cannot open the background</source>
        <translation>无法打开底图</translation>
    </message>
    <message>
        <source>Remove background</source>
        <translation>移除底图</translation>
    </message>
    <message>
        <source>Time the last map drawing took</source>
        <translation>上次绘制地图所用时间</translation>
    </message>
    <message>
        <source>Conflict on save</source>
        <translation>保存冲突</translation>
    </message>
    <message>
        <source>Take the new base, keep my edits</source>
        <translation>以最新版本为基础，保留我的编辑</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>(browse, no editing)</source>
        <translation>（浏览，不编辑）</translation>
    </message>
    <message>
        <source>Choose the kind of zone to edit</source>
        <translation>选择要编辑的分区类型</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Vertices</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>New zone</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Add part</source>
        <translation>加部件</translation>
    </message>
    <message>
        <source>Add hole</source>
        <translation>加内环</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分割</translation>
    </message>
    <message>
        <source>Reshape</source>
        <translation>修整</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Delete part/hole</source>
        <translation>删部件/内环</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Retire</source>
        <translation>注销分区</translation>
    </message>
    <message>
        <source>Fields…</source>
        <translation>属性…</translation>
    </message>
    <message>
        <source>Change fields</source>
        <translation>修改属性</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Topological editing</source>
        <translation>拓扑编辑</translation>
    </message>
    <message>
        <source>Shared vertices move together; new or reshaped areas avoid their neighbours</source>
        <translation>共享节点一同移动；新建或修整的面避开相邻分区</translation>
    </message>
    <message>
        <source>Snapping</source>
        <translation>捕捉</translation>
    </message>
    <message>
        <source>Snap to vertices and edges of visible zones (within 10 pixels)</source>
        <translation>捕捉到可见分区的节点与边（10 像素内）</translation>
    </message>
    <message>
        <source>The law watching (unsaved edits)</source>
        <translation>依法审视（未保存的编辑）</translation>
    </message>
    <message>
        <source>Restore unsaved edits</source>
        <translation>恢复未保存的编辑</translation>
    </message>
    <message>
        <source>%1 edits were left unsaved when the viewer last closed (on version %2). Restore them?</source>
        <translation>上次关闭查看器时有 %1 项编辑未保存（基于版本 %2）。要恢复吗？</translation>
    </message>
    <message>
        <source>Screening</source>
        <translation>项目核查</translation>
    </message>
    <message>
        <source>History</source>
        <translation>版本历史</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>质量检查</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Validate zones</source>
        <translation>检查分区质量</translation>
    </message>
    <message>
        <source>Version history</source>
        <translation>版本历史</translation>
    </message>
    <message>
        <source>Undo: </source>
        <translation>撤销：</translation>
    </message>
    <message>
        <source>Redo: </source>
        <translation>重做：</translation>
    </message>
    <message>
        <source>Saved as version %1</source>
        <translation>已保存为版本 %1</translation>
    </message>
    <message>
        <source>On the newest version now, every edit kept; save again.</source>
        <translation>已换到最新版本，编辑全部保留；请再次保存。</translation>
    </message>
    <message>
        <source>On the newest version; these edits could not be kept: </source>
        <translation>已换到最新版本；以下编辑无法保留：</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Unsaved edits</source>
        <translation>有未保存的编辑</translation>
    </message>
    <message>
        <source>There are unsaved edits. Save them? (Not saving loses nothing: they are offered back next time.)</source>
        <translation>有未保存的编辑。保存吗？（不保存也不会丢失：下次打开时可恢复。）</translation>
    </message>
    <message>
        <source>lon %1° lat %2° (CGCS2000)</source>
        <translation>经度 %1° 纬度 %2°（CGCS2000）</translation>
    </message>
    <message>
        <source>no EPSG code</source>
        <translation>非标准带</translation>
    </message>
    <message>
        <source>Gauss-Krüger 3° zone %1 (%2): E %4 m  N %3 m</source>
        <translation>高斯-克吕格 3°带 %1（%2）：X %3 m  Y %4 m</translation>
    </message>
    <message>
        <source>Scale 1:%1</source>
        <translation>比例尺 1:%1</translation>
    </message>
    <message>
        <source>drawn in %1 ms</source>
        <translation>绘制 %1 ms</translation>
    </message>
</context>
<context>
    <name>MapRenderer</name>
    <message>
        <source>CGCS2000, transverse Mercator, central meridian </source>
        <translation>CGCS2000 横轴墨卡托投影，中央经线 </translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <source>History</source>
        <translation>版本历史</translation>
    </message>
    <message>
        <source>%1 revision(s)</source>
        <translation>%1 个版本</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>; by </source>
        <translation>；编辑人 </translation>
    </message>
    <message>
        <source>; basis </source>
        <translation>；调整依据 </translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source> (current)</source>
        <translation>（现行）</translation>
    </message>
    <message>
        <source>; until version %1</source>
        <translation>；至版本 %1</translation>
    </message>
    <message>
        <source>%1 m² (%2 ha)</source>
        <translation>%1 m²（%2 公顷）</translation>
    </message>
    <message>
        <source>Find zones by name or code</source>
        <translation>按名称或代码查找分区</translation>
    </message>
    <message>
        <source>No zone matches</source>
        <translation>没有匹配的分区</translation>
    </message>
    <message>
        <source>First %1 matches (type more to narrow)</source>
        <translation>前 %1 个匹配（请输入更多字词）</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 个匹配</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>No zone here</source>
        <translation>此处没有分区</translation>
    </message>
    <message>
        <source>: </source>
        <translation>：</translation>
    </message>
    <message>
        <source>Double-click to zoom to this zone</source>
        <translation>双击缩放到该分区</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>; source value: </source>
        <translation>；源数据值：</translation>
    </message>
    <message>
        <source>Sub-zone</source>
        <translation>分区</translation>
    </message>
    <message>
        <source>Zone id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Feature id</source>
        <translation>要素号</translation>
    </message>
</context>
<context>
    <name>ScreeningPanel</name>
    <message>
        <source>(not stated)</source>
        <translation>（未说明）</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>[%1] </source>
        <translation>【%1】</translation>
    </message>
    <message>
        <source>Footprint %1</source>
        <translation>用地范围 %1</translation>
    </message>
    <message>
        <source>: </source>
        <translation>：</translation>
    </message>
    <message>
        <source> (</source>
        <translation>（</translation>
    </message>
    <message>
        <source>)</source>
        <translation>）</translation>
    </message>
    <message>
        <source>Click to zoom to it</source>
        <translation>单击缩放到该用地范围</translation>
    </message>
    <message>
        <source>Unchecked</source>
        <translation>未核查</translation>
    </message>
    <message>
        <source>Geometry</source>
        <translation>几何类型</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Judged as</source>
        <translation>按以下活动研判</translation>
    </message>
    <message>
        <source>Meets no zone and lies beyond every zone&apos;s search distance.</source>
        <translation>未涉及任何分区，也不在任何分区的检索距离内。</translation>
    </message>
    <message>
        <source>Click to zoom there and outline the zone</source>
        <translation>单击缩放到该处并勾勒分区</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>空间关系</translation>
    </message>
    <message>
        <source>Zone id</source>
        <translation>分区编号</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠面积</translation>
    </message>
    <message>
        <source>Share of footprint</source>
        <translation>占用地比例</translation>
    </message>
    <message>
        <source>Share of zone</source>
        <translation>占该区比例</translation>
    </message>
    <message>
        <source>Length inside</source>
        <translation>区内长度</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source> (to be verified)</source>
        <translation>（待核实）</translation>
    </message>
    <message>
        <source>Rule </source>
        <translation>规则 </translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Requires</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
    <message>
        <source>Assumed</source>
        <translation>假定</translation>
    </message>
    <message>
        <source>Access list</source>
        <translation>生态环境准入清单</translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation>问题（%1）</translation>
    </message>
    <message>
        <source>Input and how it was read</source>
        <translation>输入与识别</translation>
    </message>
    <message>
        <source>Input file</source>
        <translation>输入文件</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Detected: </source>
        <translation>识别：</translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation>工作空间</translation>
    </message>
    <message>
        <source>Legal date</source>
        <translation>法律适用日期</translation>
    </message>
    <message>
        <source>Open footprint…</source>
        <translation>打开项目范围…</translation>
    </message>
    <message>
        <source>Write report…</source>
        <translation>写出研判报告…</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Open or drop a footprint file (coordinate TXT, CSV, KML/KMZ, DXF, shapefile, GeoJSON, GeoPackage...) to screen it against the workspace.</source>
        <translation>打开或拖入项目用地范围文件（坐标 TXT、CSV、KML/KMZ、DXF、Shapefile、GeoJSON、GeoPackage 等），对照工作空间核查。</translation>
    </message>
    <message>
        <source>Read a footprint file and screen it against the zones (Ctrl+O)</source>
        <translation>读取项目用地范围文件并对照各类分区核查（Ctrl+O）</translation>
    </message>
    <message>
        <source>Write the screening shown as a report (PDF or HTML)</source>
        <translation>将当前核查结果写为研判报告（PDF 或 HTML）</translation>
    </message>
    <message>
        <source>Footprints (%1)</source>
        <translation>项目用地范围 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>已写出研判报告：%1</translation>
    </message>
    <message>
        <source>Open a footprint</source>
        <translation>打开项目用地范围</translation>
    </message>
    <message>
        <source>-report.pdf</source>
        <translation>-研判报告.pdf</translation>
    </message>
    <message>
        <source>HTML, one file (*.html *.htm)</source>
        <translation>HTML（单个文件） (*.html *.htm)</translation>
    </message>
    <message>
        <source>Write the screening report</source>
        <translation>写出研判报告</translation>
    </message>
    <message>
        <source>Not done: </source>
        <translation>未能完成：</translation>
    </message>
    <message>
        <source>Input: %1 (%2), %3 footprint(s)</source>
        <translation>输入：%1（%2），%3 个用地范围</translation>
    </message>
    <message>
        <source>Workspace: </source>
        <translation>工作空间：</translation>
    </message>
    <message>
        <source> (version %1)</source>
        <translation>（版本 %1）</translation>
    </message>
    <message>
        <source>Legal date %1</source>
        <translation>法律适用日期 %1</translation>
    </message>
    <message>
        <source>Overall verdict: screening incomplete</source>
        <translation>总体结论：未完成核查</translation>
    </message>
    <message>
        <source> (%1 footprint(s) unchecked)</source>
        <translation>（%1 个用地范围未核查）</translation>
    </message>
    <message>
        <source> (part of the input could not be checked)</source>
        <translation>（部分输入无法核查）</translation>
    </message>
    <message>
        <source>Overall verdict: </source>
        <translation>总体结论：</translation>
    </message>
    <message>
        <source>Each verdict is the most severe of the rules that apply (prohibited &gt; conditional &gt; allowed).</source>
        <translation>结论取所涉分区适用规则中最严格者（禁止 &gt; 有条件 &gt; 允许）。</translation>
    </message>
    <message>
        <source>%1 zones have edits not yet saved. Screening and its report use the saved version; save the edits to screen against them.</source>
        <translation>%1 个分区有尚未保存的编辑。筛查及其报告依据已保存的版本；保存编辑后即按编辑后的分区筛查。</translation>
    </message>
    <message>
        <source>Conformity with the access lists: %1</source>
        <translation>准入清单相符性分析：%1</translation>
    </message>
    <message>
        <source>Deciding clause</source>
        <translation>决定条款</translation>
    </message>
    <message>
        <source> — </source>
        <translation>——</translation>
    </message>
</context>
</TS>
