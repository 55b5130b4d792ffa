<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Token Inspector</source>
        <translation>关于 Token Inspector</translation>
    </message>
    <message>
        <source>See exactly what a tokenizer and a transformer do to your text. Offline first.</source>
        <translation>准确查看分词器和 Transformer 模型对你的文本做了什么。离线优先。</translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation>复制详细信息(&amp;C)</translation>
    </message>
    <message>
        <source>Copy versions, device and folders as plain text (for a bug report)</source>
        <translation>以纯文本复制版本、设备和文件夹信息（用于报告问题）</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>not checked yet (torch loads with the first model run)</source>
        <translation>尚未检查（torch 在第一次运行模型时加载）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Saved text</source>
        <translation>保存的文本</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>Hugging Face hub cache</source>
        <translation>Hugging Face Hub 缓存</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Libraries</source>
        <translation>库</translation>
    </message>
    <message>
        <source>Where things live</source>
        <translation>文件位置</translation>
    </message>
</context>
<context>
    <name>AttentionPanel</name>
    <message>
        <source>Hide attention to special tokens</source>
        <translation>隐藏对特殊词元的注意力</translation>
    </message>
    <message>
        <source>Zero the columns of [CLS], [SEP], BOS… so the attention between text tokens shows</source>
        <translation>把 [CLS]、[SEP]、BOS 等所在的列置零，以显示文本词元之间的注意力</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>layers × heads (each scaled to its own peak)</source>
        <translation>层 × 头（各自按自己的峰值缩放）</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Run a model to see its attention.</source>
        <translation>运行模型以查看其注意力。</translation>
    </message>
    <message>
        <source>This run has no attention maps.</source>
        <translation>这次运行没有注意力图。</translation>
    </message>
    <message>
        <source>{0} padding positions left out</source>
        <translation>已略去 {0} 个填充位置</translation>
    </message>
    <message>
        <source>head {0}</source>
        <translation>头 {0}</translation>
    </message>
    <message>
        <source>mean over heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>max over heads</source>
        <translation>各头最大值</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大</translation>
    </message>
    <message>
        <source>layer {layer}, {head}: query ↓ key →</source>
        <translation>第 {layer} 层，{head}：查询 ↓ 键 →</translation>
    </message>
    <message>
        <source>query #{q} {query} → key #{k} {key}: {value}</source>
        <translation>查询 #{q} {query} → 键 #{k} {key}：{value}</translation>
    </message>
    <message>
        <source>nothing to export yet</source>
        <translation>还没有可导出的内容</translation>
    </message>
</context>
<context>
    <name>BatchMatrixModel</name>
    <message>
        <source>no token here: this text is shorter and padding is off</source>
        <translation>这里没有词元：这段文本较短，且未开启填充</translation>
    </message>
    <message>
        <source>padding (attention_mask 0)</source>
        <translation>填充（attention_mask 为 0）</translation>
    </message>
    <message>
        <source>added by the tokenizer</source>
        <translation>由分词器添加</translation>
    </message>
    <message>
        <source>pair text, characters {0}–{1}</source>
        <translation>第二段文本，字符 {0}–{1}</translation>
    </message>
    <message>
        <source>text, characters {0}–{1}</source>
        <translation>第一段文本，字符 {0}–{1}</translation>
    </message>
    <message>
        <source>text {row}, position {position}: {token} (id {id})</source>
        <translation>文本 {row}，位置 {position}：{token}（id {id}）</translation>
    </message>
    <message>
        <source>position {0}</source>
        <translation>位置 {0}</translation>
    </message>
    <message>
        <source>text {0}: {1}</source>
        <translation>文本 {0}：{1}</translation>
    </message>
    <message>
        <source>pair text: {0}</source>
        <translation>第二段文本：{0}</translation>
    </message>
    <message>
        <source>the strip shows this text</source>
        <translation>词元条正显示这段文本</translation>
    </message>
    <message>
        <source>click to show this text in the strip</source>
        <translation>点击在词元条中显示这段文本</translation>
    </message>
</context>
<context>
    <name>BatchPage</name>
    <message>
        <source>show tokens instead of ids</source>
        <translation>显示词元而不是 id</translation>
    </message>
    <message>
        <source>token_type_ids matrix</source>
        <translation>token_type_ids 矩阵</translation>
    </message>
    <message>
        <source>attention_mask matrix</source>
        <translation>attention_mask 矩阵</translation>
    </message>
    <message>
        <source>Copy as JSON</source>
        <translation>复制为 JSON</translation>
    </message>
    <message>
        <source>copy the matrices as tokenizer(texts, pairs, …) returns them: input_ids, token_type_ids (if any) and attention_mask</source>
        <translation>按 tokenizer(texts, pairs, …) 的返回形式复制这些矩阵：input_ids、token_type_ids（如果有）和 attention_mask</translation>
    </message>
    <message>
        <source> (as tokens)</source>
        <translation>（显示为词元）</translation>
    </message>
    <message>
        <source>open the glossary at {0}</source>
        <translation>在术语表中打开 {0}</translation>
    </message>
    <message>
        <source>{0} pairs × {1} positions</source>
        <translation>{0} 个句子对 × {1} 个位置</translation>
    </message>
    <message>
        <source>{0} texts × {1} positions</source>
        <translation>{0} 段文本 × {1} 个位置</translation>
    </message>
    <message>
        <source>first {0} of {1} texts</source>
        <translation>{1} 段文本中的前 {0} 段</translation>
    </message>
    <message>
        <source>first {0} of {1} positions</source>
        <translation>{1} 个位置中的前 {0} 个</translation>
    </message>
    <message>
        <source> ({0} shown)</source>
        <translation>（显示{0}）</translation>
    </message>
    <message>
        <source>padding is off, so the rows are ragged (empty cells: no token) — choose padding “longest” for a rectangular tensor</source>
        <translation>未开启填充，所以各行长短不齐（空格子：没有词元）——选择填充“longest”可得到矩形张量</translation>
    </message>
    <message>
        <source>padded {0} on the left</source>
        <translation>按 {0} 填充，填在左侧</translation>
    </message>
    <message>
        <source>padded {0} on the right</source>
        <translation>按 {0} 填充，填在右侧</translation>
    </message>
    <message>
        <source>all texts have the same length</source>
        <translation>所有文本长度相同</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>pair text</source>
        <translation>第二段文本</translation>
    </message>
    <message>
        <source>padding (attention_mask 0)</source>
        <translation>填充（attention_mask 为 0）</translation>
    </message>
    <message>
        <source>no token_type_ids: this tokenizer&apos;s model reads none</source>
        <translation>没有 token_type_ids：这个分词器对应的模型不读取它</translation>
    </message>
    <message>
        <source>a batch of pairs: one pair text per line in the pair pane</source>
        <translation>句子对批次：在第二段文本框中每行写一段第二段文本</translation>
    </message>
</context>
<context>
    <name>BatchSwitch</name>
    <message>
        <source>Previous text of the batch (Alt+Page Up)</source>
        <translation>批次中的上一段文本（Alt+Page Up）</translation>
    </message>
    <message>
        <source>Next text of the batch (Alt+Page Down)</source>
        <translation>批次中的下一段文本（Alt+Page Down）</translation>
    </message>
    <message>
        <source>Text {0} of {1}</source>
        <translation>第 {0} 段，共 {1} 段</translation>
    </message>
    <message>
        <source>row {0} of the matrices in Encoding → Batch</source>
        <translation>编码 → 批次中矩阵的第 {0} 行</translation>
    </message>
    <message>
        <source>“{0}” with “{1}”</source>
        <translation>“{0}”与“{1}”</translation>
    </message>
    <message>
        <source>“{0}”</source>
        <translation>“{0}”</translation>
    </message>
</context>
<context>
    <name>CatalogEntry</name>
    <message>
        <source>all-MiniLM-L6-v2 (BERT uncased WordPiece)</source>
        <translation>all-MiniLM-L6-v2（BERT 不区分大小写的 WordPiece）</translation>
    </message>
    <message>
        <source>GPT-2 (byte-level BPE, r50k_base ranks)</source>
        <translation>GPT-2（字节级 BPE，r50k_base 合并表）</translation>
    </message>
    <message>
        <source>cl100k_base (GPT-4, GPT-3.5)</source>
        <translation>cl100k_base（GPT-4、GPT-3.5）</translation>
    </message>
    <message>
        <source>o200k_base (GPT-4o)</source>
        <translation>o200k_base（GPT-4o）</translation>
    </message>
    <message>
        <source>Mistral v1 SentencePiece (LLaMA-style ▁, byte fallback, 32000)</source>
        <translation>Mistral v1 SentencePiece（LLaMA 式 ▁，字节回退，32000）</translation>
    </message>
    <message>
        <source>Mistral v3 SentencePiece (▁, byte fallback, 32768)</source>
        <translation>Mistral v3 SentencePiece（▁，字节回退，32768）</translation>
    </message>
    <message>
        <source>Qwen2.5 (byte-level BPE, strong on Chinese, 151643 + specials)</source>
        <translation>Qwen2.5（字节级 BPE，擅长中文，151643 + 特殊词元）</translation>
    </message>
    <message>
        <source>Qwen3.5 / 3.6 (byte-level BPE, 248044 + specials)</source>
        <translation>Qwen3.5 / 3.6（字节级 BPE，248044 + 特殊词元）</translation>
    </message>
    <message>
        <source>SmolLM2-135M-Instruct (byte-level BPE 49152, ChatML chat template)</source>
        <translation>SmolLM2-135M-Instruct（字节级 BPE 49152，ChatML 对话模板）</translation>
    </message>
</context>
<context>
    <name>CatalogPicker</name>
    <message>
        <source>Catalog id, alias, HF hub id or path — type to search</source>
        <translation>目录 id、别名、HF Hub id 或路径——输入即可搜索</translation>
    </message>
    <message>
        <source>Open tokenizer</source>
        <translation>打开分词器</translation>
    </message>
    <message>
        <source>Open tokenizer folder</source>
        <translation>打开分词器文件夹</translation>
    </message>
</context>
<context>
    <name>ChatDock</name>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>C&amp;hat (conversation with a template)</source>
        <translation>对话（套用模板）(&amp;H)</translation>
    </message>
    <message>
        <source>A conversation under the tokenizer&apos;s own chat template</source>
        <translation>套用分词器自带对话模板的一段对话</translation>
    </message>
    <message>
        <source>Load a model first (Model menu): SmolLM2 for its next-token lens.</source>
        <translation>请先加载模型（“模型”菜单）：用 SmolLM2 查看下一个词元的 logit 透镜。</translation>
    </message>
</context>
<context>
    <name>ChatEditor</name>
    <message>
        <source>Add message</source>
        <translation>添加消息</translation>
    </message>
    <message>
        <source>Add generation prompt</source>
        <translation>添加生成提示</translation>
    </message>
    <message>
        <source>End with the template&apos;s prompt for the assistant&apos;s answer</source>
        <translation>以模板为助手回答准备的提示结尾</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>There is nothing to save: every message is empty.</source>
        <translation>没有可保存的内容：所有消息都是空的。</translation>
    </message>
    <message>
        <source>Cannot save {0}: {1}</source>
        <translation>无法保存 {0}：{1}</translation>
    </message>
    <message>
        <source>Open conversation</source>
        <translation>打开对话</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Save conversation</source>
        <translation>保存对话</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>{name} has no chat template of its own (none in its files). Choose one with “Template file…” (a .jinja file): Token Inspector never invents one.</source>
        <translation>{name} 没有自带的对话模板（它的文件中没有）。请用“模板文件…”选择一个（.jinja 文件）：Token Inspector 从不自行编造模板。</translation>
    </message>
    <message>
        <source>Template file…</source>
        <translation>模板文件…</translation>
    </message>
    <message>
        <source>Apply a .jinja chat template instead of the tokenizer&apos;s own</source>
        <translation>改用一个 .jinja 对话模板，而不是分词器自带的模板</translation>
    </message>
    <message>
        <source>Own template</source>
        <translation>自带模板</translation>
    </message>
    <message>
        <source>Back to the tokenizer&apos;s own template</source>
        <translation>回到分词器自带的模板</translation>
    </message>
    <message>
        <source>Run model on conversation</source>
        <translation>在对话上运行模型</translation>
    </message>
    <message>
        <source>The model panels run on the rendered conversation (Model menu loads one)</source>
        <translation>模型面板在渲染后的对话上运行（在“模型”菜单中加载模型）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>The conversation report: JSON, CSV, Markdown, HTML or PDF</source>
        <translation>对话报告：JSON、CSV、Markdown、HTML 或 PDF</translation>
    </message>
    <message>
        <source>The conversation as the template renders it</source>
        <translation>模板渲染出的对话</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>scaffolding</source>
        <translation>模板框架</translation>
    </message>
    <message>
        <source>total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Add a message to see what the model sees.</source>
        <translation>添加一条消息，看看模型看到的是什么。</translation>
    </message>
    <message>
        <source>Rendering with {0}…</source>
        <translation>正在用 {0} 渲染…</translation>
    </message>
    <message>
        <source>Template: {0}</source>
        <translation>模板：{0}</translation>
    </message>
    <message>
        <source>{0} tokens · {1} of message content · template overhead {2} ({3:.0f}%)</source>
        <translation>{0} 个词元 · 消息内容 {1} 个 · 模板开销 {2} 个（{3:.0f}%）</translation>
    </message>
    <message>
        <source>Nothing rendered: see the message above.</source>
        <translation>未渲染任何内容：见上方消息。</translation>
    </message>
    <message>
        <source>closing + generation prompt</source>
        <translation>结尾 + 生成提示</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>结尾</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>Chat templates (*.jinja *.j2 *.json *.gguf);;All files (*)</source>
        <translation>对话模板 (*.jinja *.j2 *.json *.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No conversation to export: nothing is rendered for it.</source>
        <translation>没有可导出的对话：它尚未渲染。</translation>
    </message>
    <message>
        <source>Choose a .json, .csv, .md, .html or .pdf file.</source>
        <translation>请选择 .json、.csv、.md、.html 或 .pdf 文件。</translation>
    </message>
    <message>
        <source>Cannot write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message>
        <source>Export conversation report</source>
        <translation>导出对话报告</translation>
    </message>
    <message>
        <source>Reports (*.json *.csv *.md *.html *.pdf)</source>
        <translation>报告 (*.json *.csv *.md *.html *.pdf)</translation>
    </message>
</context>
<context>
    <name>ChatStrip</name>
    <message>
        <source>Conversation token strip</source>
        <translation>对话词元条</translation>
    </message>
</context>
<context>
    <name>ComparisonCanvas</name>
    <message>
        <source>Tokenizer comparison</source>
        <translation>分词器比较</translation>
    </message>
    <message>
        <source>pair</source>
        <translation>句子对</translation>
    </message>
    <message>
        <source>Laying out the comparison…</source>
        <translation>正在排布比较视图…</translation>
    </message>
    <message>
        <source>Add 2 to 8 tokenizers (catalog, file or folder), or click Classic comparison.</source>
        <translation>添加 2 至 8 个分词器（目录、文件或文件夹），或点击“经典比较”。</translation>
    </message>
    <message>
        <source>The text is empty.</source>
        <translation>文本为空。</translation>
    </message>
    <message>
        <source>token: {0}</source>
        <translation>词元：{0}</translation>
    </message>
    <message>
        <source>shown: {0}</source>
        <translation>显示为：{0}</translation>
    </message>
    <message>
        <source>bytes: {0}</source>
        <translation>字节：{0}</translation>
    </message>
    <message>
        <source>characters {0}–{1}</source>
        <translation>字符 {0}–{1}</translation>
    </message>
    <message>
        <source> (pair text)</source>
        <translation>（第二段文本）</translation>
    </message>
    <message>
        <source>a boundary of this token is not a boundary in every other row</source>
        <translation>这个词元的边界并非在其他每一行中都是边界</translation>
    </message>
</context>
<context>
    <name>ComparisonDock</name>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>&amp;Compare tokenizers</source>
        <translation>比较分词器(&amp;C)</translation>
    </message>
    <message>
        <source>Several tokenizers side by side on the window&apos;s text</source>
        <translation>在窗口文本上并排比较多个分词器</translation>
    </message>
</context>
<context>
    <name>ComparisonPanel</name>
    <message>
        <source>add a tokenizer…</source>
        <translation>添加分词器…</translation>
    </message>
    <message>
        <source>Add file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>A tokenizer.json, SentencePiece .model or .tiktoken file</source>
        <translation>tokenizer.json、SentencePiece .model 或 .tiktoken 文件</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>A folder written by save_pretrained</source>
        <translation>由 save_pretrained 写出的文件夹</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the rows selected in the table (Delete)</source>
        <translation>移除表中选中的行（Delete）</translation>
    </message>
    <message>
        <source>Classic comparison</source>
        <translation>经典比较</translation>
    </message>
    <message>
        <source>BERT WordPiece (MiniLM), GPT-2, cl100k, o200k, Mistral SentencePiece and Qwen2.5 on the mixed sample text</source>
        <translation>在混合示例文本上比较 BERT WordPiece（MiniLM）、GPT-2、cl100k、o200k、Mistral SentencePiece 和 Qwen2.5</translation>
    </message>
    <message>
        <source>{0} a boundary not every row has · hover a character: its token lights up in every row</source>
        <translation>{0} 并非每一行都有的边界 · 悬停在字符上：每一行中对应的词元都会高亮</translation>
    </message>
    <message>
        <source>{0} is already in the comparison</source>
        <translation>{0} 已在比较中</translation>
    </message>
    <message>
        <source>at most {0} tokenizers side by side: remove one first</source>
        <translation>最多并排 {0} 个分词器：请先移除一个</translation>
    </message>
    <message>
        <source>could not read the sample text: {0}</source>
        <translation>无法读取示例文本：{0}</translation>
    </message>
    <message>
        <source>could not compare: {0}</source>
        <translation>无法比较：{0}</translation>
    </message>
    <message>
        <source>Text: the sample &lt;b&gt;{0}&lt;/b&gt; · &lt;a href=&quot;window&quot;&gt;use the window&apos;s text&lt;/a&gt;</source>
        <translation>文本：示例 &lt;b&gt;{0}&lt;/b&gt; · &lt;a href=&quot;window&quot;&gt;使用窗口中的文本&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Text: the window&apos;s text ({0} characters)</source>
        <translation>文本：窗口中的文本（{0} 个字符）</translation>
    </message>
    <message>
        <source>Text: the window&apos;s text ({0} characters) + pair text ({1})</source>
        <translation>文本：窗口中的文本（{0} 个字符）+ 第二段文本（{1}）</translation>
    </message>
    <message>
        <source>Add tokenizer</source>
        <translation>添加分词器</translation>
    </message>
    <message>
        <source>Tokenizers (*.json *.model *.tiktoken);;All files (*)</source>
        <translation>分词器 (*.json *.model *.tiktoken);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Add tokenizer folder (save_pretrained)</source>
        <translation>添加分词器文件夹（save_pretrained）</translation>
    </message>
</context>
<context>
    <name>CorpusChart</name>
    <message>
        <source>Tokens per 1k characters, by group</source>
        <translation>每千字符的词元数（按分组）</translation>
    </message>
    <message>
        <source>tokens / 1k chars</source>
        <translation>词元数 / 千字符</translation>
    </message>
    <message>
        <source>Documents by tokens per document</source>
        <translation>按每文档词元数统计的文档数</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>文档数</translation>
    </message>
    <message>
        <source>Vocabulary used (% of the tokenizer&apos;s ids seen)</source>
        <translation>词表使用率（出现过的 id 占分词器全部 id 的百分比）</translation>
    </message>
    <message>
        <source>vocabulary used</source>
        <translation>词表使用率</translation>
    </message>
</context>
<context>
    <name>CorpusWindow</name>
    <message>
        <source>Compare on a corpus — Token Inspector</source>
        <translation>在语料库上比较 — Token Inspector</translation>
    </message>
    <message>
        <source>Files and folders</source>
        <translation>文件和文件夹</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Tokenizers (1 to {n})</source>
        <translation>分词器（1 至 {n} 个）</translation>
    </message>
    <message>
        <source>another id, folder or file, then Enter</source>
        <translation>输入其他 id、文件夹或文件，然后按 Enter</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>all files, e.g. *.txt</source>
        <translation>所有文件，例如 *.txt</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Typed special tokens as plain text</source>
        <translation>将输入的特殊词元当作普通文本</translation>
    </message>
    <message>
        <source>Read bytes that are not UTF-8 as U+FFFD</source>
        <translation>将非 UTF-8 字节读作 U+FFFD</translation>
    </message>
    <message>
        <source>local cluster (or tcp://host:8786)</source>
        <translation>本地集群（或 tcp://host:8786）</translation>
    </message>
    <message>
        <source>Only files matching</source>
        <translation>仅匹配的文件</translation>
    </message>
    <message>
        <source>JSONL / Parquet text field</source>
        <translation>JSONL / Parquet 文本字段</translation>
    </message>
    <message>
        <source>Group by</source>
        <translation>分组依据</translation>
    </message>
    <message>
        <source>Reference group</source>
        <translation>参照组</translation>
    </message>
    <message>
        <source>Local worker processes</source>
        <translation>本地 worker 进程数</translation>
    </message>
    <message>
        <source>Dask scheduler</source>
        <translation>Dask 调度器</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>by folder</source>
        <translation>按文件夹</translation>
    </message>
    <message>
        <source>by file</source>
        <translation>按文件</translation>
    </message>
    <message>
        <source>Each folder is a group</source>
        <translation>每个文件夹为一组</translation>
    </message>
    <message>
        <source>Each file is a group</source>
        <translation>每个文件为一组</translation>
    </message>
    <message>
        <source>A JSONL / Parquet field (type its name)</source>
        <translation>JSONL / Parquet 字段（输入字段名）</translation>
    </message>
    <message>
        <source>Add files or folders, pick tokenizers, then Run.</source>
        <translation>添加文件或文件夹，选择分词器，然后点“运行”。</translation>
    </message>
    <message>
        <source>Copy table</source>
        <translation>复制表格</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Add corpus files</source>
        <translation>添加语料文件</translation>
    </message>
    <message>
        <source>Add a corpus folder</source>
        <translation>添加语料文件夹</translation>
    </message>
    <message>
        <source>Add at least one file or folder.</source>
        <translation>请至少添加一个文件或文件夹。</translation>
    </message>
    <message>
        <source>Pick 1 to {n} tokenizers.</source>
        <translation>请选择 1 至 {n} 个分词器。</translation>
    </message>
    <message>
        <source>Starting the Dask cluster and loading tokenizers…</source>
        <translation>正在启动 Dask 集群并加载分词器…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancelled: the workers are stopped.</source>
        <translation>已取消：worker 已停止。</translation>
    </message>
    <message>
        <source>{documents} documents · {done} MB of {total} MB · {rate} MB/s</source>
        <translation>{documents} 篇文档 · 已处理 {done} MB / 共 {total} MB · {rate} MB/s</translation>
    </message>
    <message>
        <source>{documents} documents · {done} MB of {total} MB · {rate} MB/s · about {eta} s left</source>
        <translation>{documents} 篇文档 · 已处理 {done} MB / 共 {total} MB · {rate} MB/s · 约剩 {eta} 秒</translation>
    </message>
    <message>
        <source>{documents} documents in {files} files ({skipped} skipped), counted on {workers} workers in {seconds} s.</source>
        <translation>{files} 个文件中的 {documents} 篇文档（跳过 {skipped} 个），由 {workers} 个 worker 在 {seconds} 秒内统计完成。</translation>
    </message>
    <message>
        <source>(all)</source>
        <translation>（全部）</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文档数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Tokens / 1k chars</source>
        <translation>词元 / 千字符</translation>
    </message>
    <message>
        <source>Tokens / 1k bytes</source>
        <translation>词元 / 千字节</translation>
    </message>
    <message>
        <source>Tokens / word</source>
        <translation>词元 / 词</translation>
    </message>
    <message>
        <source>Unknown tokens</source>
        <translation>未知词元数</translation>
    </message>
    <message>
        <source>Unknown rate</source>
        <translation>未知词元比例</translation>
    </message>
    <message>
        <source>Byte-fallback tokens</source>
        <translation>字节回退词元数</translation>
    </message>
    <message>
        <source>Byte-fallback rate</source>
        <translation>字节回退比例</translation>
    </message>
    <message>
        <source>Distinct ids</source>
        <translation>不同 id 数</translation>
    </message>
    <message>
        <source>Vocabulary used</source>
        <translation>词表使用率</translation>
    </message>
    <message>
        <source>Mean tokens / doc</source>
        <translation>平均词元 / 文档</translation>
    </message>
    <message>
        <source>Max tokens / doc</source>
        <translation>最多词元 / 文档</translation>
    </message>
    <message>
        <source>Token premium</source>
        <translation>词元溢价</translation>
    </message>
    <message>
        <source>Docs &gt; {0} tokens</source>
        <translation>超过 {0} 词元的文档</translation>
    </message>
    <message>
        <source>CSV column: {0}</source>
        <translation>CSV 列：{0}</translation>
    </message>
    <message>
        <source>Export corpus report</source>
        <translation>导出语料报告</translation>
    </message>
    <message>
        <source>HTML (*.html);;JSON (*.json);;CSV (*.csv);;Markdown (*.md)</source>
        <translation>HTML (*.html);;JSON (*.json);;CSV (*.csv);;Markdown (*.md)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>DecodeIdsDialog</name>
    <message>
        <source>Decode ids</source>
        <translation>解码 id</translation>
    </message>
    <message>
        <source>Paste ids from a tutorial or a model&apos;s output, as a list ([101, 7592, 102]) or separated by spaces or commas. They are decoded by {tokenizer}.</source>
        <translation>粘贴教程或模型输出中的 id，可以是列表（[101, 7592, 102]），也可以用空格或逗号分隔。使用 {tokenizer} 解码。</translation>
    </message>
    <message>
        <source>decode(ids)</source>
        <translation>decode(ids)</translation>
    </message>
    <message>
        <source>decode(ids, skip_special_tokens=True)</source>
        <translation>decode(ids, skip_special_tokens=True)</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>decode([id])</source>
        <translation>decode([id])</translation>
    </message>
    <message>
        <source>skipping special tokens</source>
        <translation>跳过特殊词元</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>Decoding…</source>
        <translation>正在解码…</translation>
    </message>
    <message>
        <source>Not a list of ids: unexpected “{snippet}” at character {position}. Paste numbers like [101, 7592, 102] or 101 7592 102.</source>
        <translation>这不是 id 列表：第 {position} 个字符处出现了意外的“{snippet}”。请粘贴 [101, 7592, 102] 或 101 7592 102 这样的数字。</translation>
    </message>
    <message>
        <source>Not a list of ids: the brackets do not match.</source>
        <translation>这不是 id 列表：括号不匹配。</translation>
    </message>
    <message>
        <source>No ids: paste numbers like [101, 7592, 102] or 101 7592 102.</source>
        <translation>没有 id：请粘贴 [101, 7592, 102] 或 101 7592 102 这样的数字。</translation>
    </message>
    <message>
        <source>{total} ids; the table shows the first {shown}.</source>
        <translation>共 {total} 个 id；表格显示前 {shown} 个。</translation>
    </message>
    <message>
        <source>{total} ids.</source>
        <translation>共 {total} 个 id。</translation>
    </message>
    <message>
        <source>Not in this tokenizer&apos;s vocabulary (left out of the decode): {ids}</source>
        <translation>不在此分词器的词表中（解码时略去）：{ids}</translation>
    </message>
    <message>
        <source>unknown id</source>
        <translation>未知 id</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>EmbeddingPanel</name>
    <message>
        <source>contribution of each token to the pooled vector</source>
        <translation>每个词元对池化向量的贡献</translation>
    </message>
    <message>
        <source>static (input) vs contextual (last layer)</source>
        <translation>静态（输入）与上下文（最后一层）</translation>
    </message>
    <message>
        <source>static</source>
        <translation>静态</translation>
    </message>
    <message>
        <source>contextual</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Run a model to see sentence embeddings.</source>
        <translation>运行模型以查看句向量。</translation>
    </message>
    <message>
        <source>Select a token to compare its static and contextual vectors.</source>
        <translation>选择一个词元，比较它的静态向量和上下文向量。</translation>
    </message>
    <message>
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>No sentence embedding for this model: {0}</source>
        <translation>该模型没有句向量：{0}</translation>
    </message>
    <message>
        <source>No sentence embedding for this model.</source>
        <translation>该模型没有句向量。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Text&lt;/b&gt;: {dims} dimensions, norm {norm} {values}</source>
        <translation>&lt;b&gt;文本&lt;/b&gt;：{dims} 维，范数 {norm} {values}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pair text&lt;/b&gt;: norm {norm} {values}</source>
        <translation>&lt;b&gt;第二段文本&lt;/b&gt;：范数 {norm} {values}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cosine similarity text ↔ pair&lt;/b&gt;: {0}</source>
        <translation>&lt;b&gt;文本 ↔ 第二段文本的余弦相似度&lt;/b&gt;：{0}</translation>
    </message>
    <message>
        <source>Pair mode (Encoding panel) adds the pair text and its cosine.</source>
        <translation>句子对模式（编码面板）会加上第二段文本及其余弦相似度。</translation>
    </message>
    <message>
        <source>each token&apos;s share of the mean-pooled last hidden state (text + pair, as fed together)</source>
        <translation>每个词元在平均池化的最后一层隐藏状态中所占的份额（文本 + 第二段文本，一起输入）</translation>
    </message>
    <message>
        <source>each token&apos;s share of the mean-pooled last hidden state (the text)</source>
        <translation>每个词元在平均池化的最后一层隐藏状态中所占的份额（文本）</translation>
    </message>
    <message>
        <source>Token #{index} {token}: cosine(static, contextual) = {cosine} · static norm {static}, contextual norm {contextual}</source>
        <translation>词元 #{index} {token}：cosine(静态, 上下文) = {cosine} · 静态范数 {static}，上下文范数 {contextual}</translation>
    </message>
    <message>
        <source>nothing to export yet</source>
        <translation>还没有可导出的内容</translation>
    </message>
    <message>
        <source>contribution</source>
        <translation>贡献</translation>
    </message>
    <message>
        <source>select a token first</source>
        <translation>请先选择一个词元</translation>
    </message>
</context>
<context>
    <name>EncodingModels</name>
    <message>
        <source>the token as shown: whitespace made visible, byte-level pieces decoded</source>
        <translation>显示的词元：空白可见，字节级片段已解码</translation>
    </message>
    <message>
        <source>input_ids: the token&apos;s number in the vocabulary</source>
        <translation>input_ids：词元在词表中的编号</translation>
    </message>
    <message>
        <source>attention_mask: 1 = the model attends to this token, 0 = padding</source>
        <translation>attention_mask：1 = 模型关注这个词元，0 = 填充</translation>
    </message>
    <message>
        <source>token_type_ids (segment ids): 0 for the text, 1 for the pair text</source>
        <translation>token_type_ids（句段 id）：第一段文本为 0，第二段文本为 1</translation>
    </message>
    <message>
        <source>position_ids: each token&apos;s position, 0 … n−1, as the model gets them. The tokenizer does not return them: BERT, GPT-2, Llama and most models number the positions themselves (arange) unless position_ids are passed; padding counts too. With left padding, generate() counts from the first real token instead.</source>
        <translation>position_ids（位置 id）：每个词元的位置 0 … n−1，即模型拿到的值。分词器不返回它：除非传入 position_ids，BERT、GPT-2、Llama 等大多数模型自己给位置编号（arange），填充也计入。左侧填充时，generate() 改为从第一个真实词元开始计数。</translation>
    </message>
    <message>
        <source>sequence id: 0 = text, 1 = pair text, – = added by the tokenizer</source>
        <translation>序列 id：0 = 第一段文本，1 = 第二段文本，– = 由分词器添加</translation>
    </message>
    <message>
        <source>✓ = added by the tokenizer (CLS, SEP, BOS, padding…), not part of your text</source>
        <translation>✓ = 由分词器添加（CLS、SEP、BOS、填充等），不属于你的文本</translation>
    </message>
    <message>
        <source> (double-click the row name)</source>
        <translation>（双击行名）</translation>
    </message>
    <message>
        <source>{display}  (id {id}, raw {raw})</source>
        <translation>{display}  （id {id}，原始 {raw}）</translation>
    </message>
    <message>
        <source>characters {0}–{1} of the pair text</source>
        <translation>第二段文本的字符 {0}–{1}</translation>
    </message>
    <message>
        <source>characters {0}–{1} of the text</source>
        <translation>第一段文本的字符 {0}–{1}</translation>
    </message>
    <message>
        <source>characters {0}–{1}</source>
        <translation>字符 {0}–{1}</translation>
    </message>
</context>
<context>
    <name>EncodingPanel</name>
    <message>
        <source>single</source>
        <translation>单文本</translation>
    </message>
    <message>
        <source>pair</source>
        <translation>句子对</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>encode the text pane as one text</source>
        <translation>把文本框中的内容作为一段文本编码</translation>
    </message>
    <message>
        <source>encode the text with a second (pair) text, like tokenizer(text, pair)</source>
        <translation>把文本与第二段文本一起编码，相当于 tokenizer(text, pair)</translation>
    </message>
    <message>
        <source>each line of the text pane is one text: the padded matrices. Lines in the pair pane pair with them, line i with line i, like tokenizer(texts, pairs)</source>
        <translation>文本框的每一行是一段文本，显示填充后的矩阵。第二段文本框中的各行与之配对（第 i 行对第 i 行），相当于 tokenizer(texts, pairs)</translation>
    </message>
    <message>
        <source>chat…</source>
        <translation>对话…</translation>
    </message>
    <message>
        <source>a conversation under the tokenizer&apos;s own chat template</source>
        <translation>套用分词器自带对话模板的一段对话</translation>
    </message>
    <message>
        <source>add special tokens</source>
        <translation>添加特殊词元</translation>
    </message>
    <message>
        <source>add_special_tokens: add the markers the model expects ([CLS] … [SEP], &lt;s&gt;, BOS…)</source>
        <translation>add_special_tokens：加上模型需要的标记（[CLS] … [SEP]、&lt;s&gt;、BOS 等）</translation>
    </message>
    <message>
        <source>pre-tokenized</source>
        <translation>已预分词</translation>
    </message>
    <message>
        <source>split the text on whitespace first and pass the words (is_split_into_words=True)</source>
        <translation>先按空白切分文本，再传入词列表（is_split_into_words=True）</translation>
    </message>
    <message>
        <source>special tokens as text</source>
        <translation>特殊词元按文本处理</translation>
    </message>
    <message>
        <source>split_special_tokens: read special-token strings typed in the text (&lt;|endoftext|&gt;, [CLS], &lt;s&gt;…) as plain text. Off, they are parsed as control tokens, as transformers does by default. SentencePiece tokenizers never parse them.</source>
        <translation>split_special_tokens：把文本中输入的特殊词元字符串（&lt;|endoftext|&gt;、[CLS]、&lt;s&gt;…）当作普通文本读取。关闭时，它们被解析为控制词元，与 transformers 的默认行为相同。SentencePiece 分词器从不解析它们。</translation>
    </message>
    <message>
        <source>padding: none · longest (pad to the longest text of the batch) · max_length (pad to max_length)</source>
        <translation>padding（填充）：none 不填充 · longest 填充到批次中最长的文本 · max_length 填充到 max_length</translation>
    </message>
    <message>
        <source>padding_side: add the padding after (right) or before (left)</source>
        <translation>padding_side：在后面（right）或前面（left）填充</translation>
    </message>
    <message>
        <source>truncation: cut to max_length (or the model&apos;s limit). longest_first trims the longer of text and pair token by token; only_first / only_second trim one of them</source>
        <translation>truncation（截断）：截到 max_length（或模型的上限）。longest_first 逐个词元地修剪文本和第二段文本中较长的那个；only_first / only_second 只修剪其中一个</translation>
    </message>
    <message>
        <source>max_length: the length truncation cuts to and max_length padding fills to; none = the model&apos;s own limit for truncation</source>
        <translation>max_length：截断时截到的长度，也是 max_length 填充时补到的长度；无 = 截断时使用模型自己的上限</translation>
    </message>
    <message>
        <source>stride: with truncation, the tokens cut off go to overflow windows; each window repeats this many tokens of the previous one</source>
        <translation>stride（步长）：截断时，被截掉的词元进入溢出窗口；每个窗口重复上一个窗口末尾的这么多个词元</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Truncation</source>
        <translation>截断</translation>
    </message>
    <message>
        <source>side</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>⚠ {0} Still using the last valid settings.</source>
        <translation>⚠ {0} 仍在使用上一组有效设置。</translation>
    </message>
    <message>
        <source>No encoding yet.</source>
        <translation>还没有编码结果。</translation>
    </message>
    <message>
        <source>first {0} of {1} tokens</source>
        <translation>{1} 个词元中的前 {0} 个</translation>
    </message>
    <message>
        <source>1 token</source>
        <translation>1 个词元</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个词元</translation>
    </message>
    <message>
        <source>batch row {0}</source>
        <translation>批次第 {0} 行</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>pair text</source>
        <translation>第二段文本</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Overflow windows: none — no truncation.</source>
        <translation>溢出窗口：无——未截断。</translation>
    </message>
    <message>
        <source>Overflow windows: none — everything fits (a stride makes windows only when text is cut).</source>
        <translation>溢出窗口：无——全部放得下（只有文本被截断时步长才会产生窗口）。</translation>
    </message>
    <message>
        <source>Overflow windows: none — everything fits.</source>
        <translation>溢出窗口：无——全部放得下。</translation>
    </message>
    <message>
        <source>Overflow: {0} more window(s)</source>
        <translation>溢出：另有 {0} 个窗口</translation>
    </message>
    <message>
        <source>truncation {0}</source>
        <translation>截断 {0}</translation>
    </message>
    <message>
        <source>; first {0} of {1} windows listed</source>
        <translation>；列出 {1} 个窗口中的前 {0} 个</translation>
    </message>
    <message>
        <source>repeated from the previous window (stride)</source>
        <translation>与上一个窗口重复（步长）</translation>
    </message>
    <message>
        <source>Batch mode is off: choose “batch” to encode each line as one text.</source>
        <translation>批次模式未开启：选择“批次”可把每一行作为一段文本编码。</translation>
    </message>
</context>
<context>
    <name>ExamplesMenu</name>
    <message>
        <source>&amp;Examples</source>
        <translation>示例(&amp;E)</translation>
    </message>
</context>
<context>
    <name>ExportButton</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Image (PNG or SVG)…</source>
        <translation>图片（PNG 或 SVG）…</translation>
    </message>
    <message>
        <source>Numbers (CSV or .npy)…</source>
        <translation>数值（CSV 或 .npy）…</translation>
    </message>
    <message>
        <source>Could not save {name}: {error}</source>
        <translation>无法保存 {name}：{error}</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation>PNG 图片 (*.png);;SVG 图片 (*.svg)</translation>
    </message>
    <message>
        <source>Save image</source>
        <translation>保存图片</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;NumPy array (*.npy)</source>
        <translation>CSV 表格 (*.csv);;NumPy 数组 (*.npy)</translation>
    </message>
    <message>
        <source>Save numbers</source>
        <translation>保存数值</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>JSON — every token, the versioned schema</source>
        <translation>JSON —— 每个词元，带版本的数据结构</translation>
    </message>
    <message>
        <source>CSV — one row per token per tokenizer</source>
        <translation>CSV —— 每个分词器的每个词元一行</translation>
    </message>
    <message>
        <source>Markdown — summary and token tables</source>
        <translation>Markdown —— 摘要与词元表</translation>
    </message>
    <message>
        <source>HTML — self-contained report with coloured strips</source>
        <translation>HTML —— 自包含的报告，带彩色词元条</translation>
    </message>
    <message>
        <source>PDF — the report for printing</source>
        <translation>PDF —— 用于打印的报告</translation>
    </message>
    <message>
        <source>PNG — picture of the token strip(s)</source>
        <translation>PNG —— 词元条的图片</translation>
    </message>
    <message>
        <source>SVG — picture of the token strip(s)</source>
        <translation>SVG —— 词元条的图片</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>where to save the report</source>
        <translation>报告的保存位置</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>导出：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Nothing to export yet: wait for the tokens to appear.</source>
        <translation>暂无可导出的内容：请等待词元出现。</translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation>请选择要导出到的文件。</translation>
    </message>
    <message>
        <source>could not use {0}: {1}</source>
        <translation>无法使用 {0}：{1}</translation>
    </message>
    <message>
        <source>{0} is a folder: add a file name.</source>
        <translation>{0} 是一个文件夹：请加上文件名。</translation>
    </message>
    <message>
        <source>The folder {0} does not exist.</source>
        <translation>文件夹 {0} 不存在。</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <source>{0} already exists in {1}.
Replace it?</source>
        <translation>{0} 已存在于 {1}。
要替换它吗？</translation>
    </message>
    <message>
        <source>Not exported: the existing file is kept.</source>
        <translation>未导出：已保留现有文件。</translation>
    </message>
    <message>
        <source>Exporting {0}…</source>
        <translation>正在导出 {0}…</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <source>Current view — {0} ({1} tokens)</source>
        <translation>当前视图 —— {0}（{1} 个词元）</translation>
    </message>
    <message>
        <source>Current view — {0} ({1} tokens) and model {2}</source>
        <translation>当前视图 —— {0}（{1} 个词元）及模型 {2}</translation>
    </message>
    <message>
        <source>Comparison — {0} tokenizers</source>
        <translation>比较 —— {0} 个分词器</translation>
    </message>
</context>
<context>
    <name>FileNotice</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>GlossaryDialog</name>
    <message>
        <source>Glossary</source>
        <translation>术语表</translation>
    </message>
    <message>
        <source>Search terms, e.g. attention_mask or [SEP]</source>
        <translation>搜索术语，例如 attention_mask 或 [SEP]</translation>
    </message>
    <message>
        <source>No term matches the search.</source>
        <translation>没有与搜索匹配的术语。</translation>
    </message>
    <message>
        <source>See also:</source>
        <translation>另见：</translation>
    </message>
    <message>
        <source>Help → Glossary: {term}</source>
        <translation>帮助 → 术语表：{term}</translation>
    </message>
</context>
<context>
    <name>Heatmap</name>
    <message>
        <source>log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>outliers clipped</source>
        <translation>离群值已截断</translation>
    </message>
    <message>
        <source>full range</source>
        <translation>完整范围</translation>
    </message>
    <message>
        <source>{name}: choose a .png or .svg file name</source>
        <translation>{name}：请选择 .png 或 .svg 文件名</translation>
    </message>
    <message>
        <source>cannot write {name}</source>
        <translation>无法写入 {name}</translation>
    </message>
    <message>
        <source>{name}: choose a .csv or .npy file name</source>
        <translation>{name}：请选择 .csv 或 .npy 文件名</translation>
    </message>
    <message>
        <source>{name} ({scale})</source>
        <translation>{name}（{scale}）</translation>
    </message>
    <message>
        <source>undefined here</source>
        <translation>此处无定义</translation>
    </message>
</context>
<context>
    <name>HiddenStatePanel</name>
    <message>
        <source>L2 norm</source>
        <translation>L2 范数</translation>
    </message>
    <message>
        <source>cosine to the previous layer (none for the embeddings)</source>
        <translation>与上一层的余弦相似度（嵌入层没有）</translation>
    </message>
    <message>
        <source>cosine to the last layer</source>
        <translation>与最后一层的余弦相似度</translation>
    </message>
    <message>
        <source>mean of dimensions…</source>
        <translation>若干维度的平均值…</translation>
    </message>
    <message>
        <source>clipped (outliers)</source>
        <translation>截断（离群值）</translation>
    </message>
    <message>
        <source>log</source>
        <translation>对数</translation>
    </message>
    <message>
        <source>full range</source>
        <translation>完整范围</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>嵌入层</translation>
    </message>
    <message>
        <source>layer {0}</source>
        <translation>第 {0} 层</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Colour scale</source>
        <translation>颜色刻度</translation>
    </message>
    <message>
        <source>First</source>
        <translation>前</translation>
    </message>
    <message>
        <source>values</source>
        <translation>个值</translation>
    </message>
    <message>
        <source>How values map to colours. Log: for positive values such as norms. Clipped: values below the 1st or above the 99th percentile, or more than 3 interquartile ranges beyond the middle half, take the end colours. Full range: from the smallest to the largest value. The hover text and exports give the real values.</source>
        <translation>数值如何映射为颜色。对数：用于范数等正值。截断：低于第 1 百分位或高于第 99 百分位、或超出中间一半 3 个四分位距以上的值，取两端的颜色。完整范围：从最小值到最大值。悬停提示和导出给出的始终是真实数值。</translation>
    </message>
    <message>
        <source>How many values of the vector to show</source>
        <translation>显示向量中的多少个值</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the values shown (tab-separated)</source>
        <translation>复制显示的数值（以制表符分隔）</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>全部复制</translation>
    </message>
    <message>
        <source>Copy the whole vector (tab-separated)</source>
        <translation>复制整个向量（以制表符分隔）</translation>
    </message>
    <message>
        <source>Click a cell to see that token&apos;s vector at that layer.</source>
        <translation>点击一个单元格，查看该词元在该层的向量。</translation>
    </message>
    <message>
        <source>Run a model to see its hidden states.</source>
        <translation>运行模型以查看其隐藏状态。</translation>
    </message>
    <message>
        <source> · pooler_output {0}</source>
        <translation> · pooler_output {0}</translation>
    </message>
    <message>
        <source> · no pooler_output</source>
        <translation> · 无 pooler_output</translation>
    </message>
    <message>
        <source>hidden_states: {layers} × (1, {tokens}, {dims}) (embeddings + {n} layers) · last_hidden_state {last}{pooler}</source>
        <translation>hidden_states：{layers} × (1, {tokens}, {dims})（嵌入层 + {n} 层）· last_hidden_state {last}{pooler}</translation>
    </message>
    <message>
        <source>{layer}, token #{index} {token}: {value}</source>
        <translation>{layer}，词元 #{index} {token}：{value}</translation>
    </message>
    <message>
        <source>Token #{index} {token} at {layer}: shape ({size},), L2 norm {norm}; first {count} values:</source>
        <translation>词元 #{index} {token} 在{layer}：形状 ({size},)，L2 范数 {norm}；前 {count} 个值：</translation>
    </message>
</context>
<context>
    <name>InspectorState</name>
    <message>
        <source>Could not load that tokenizer: {0}</source>
        <translation>无法加载该分词器：{0}</translation>
    </message>
    <message>
        <source>Could not add those tokens: {0}</source>
        <translation>无法添加这些词元：{0}</translation>
    </message>
</context>
<context>
    <name>JobRunner</name>
    <message>
        <source>not enough memory for this job</source>
        <translation>内存不足，无法完成此任务</translation>
    </message>
    <message>
        <source>internal error: {0}</source>
        <translation>内部错误：{0}</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>LearnerMenus</name>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Decode ids…</source>
        <translation>解码 id(&amp;D)…</translation>
    </message>
    <message>
        <source>Paste ids and see their tokens and decoded text</source>
        <translation>粘贴 id，查看对应的词元和解码后的文本</translation>
    </message>
    <message>
        <source>Show &amp;code…</source>
        <translation>显示代码(&amp;C)…</translation>
    </message>
    <message>
        <source>The transformers code that gives what the window shows</source>
        <translation>得到窗口中所示结果的 transformers 代码</translation>
    </message>
    <message>
        <source>&amp;Glossary</source>
        <translation>术语表(&amp;G)</translation>
    </message>
</context>
<context>
    <name>LensPanel</name>
    <message>
        <source>{layer} (output)</source>
        <translation>{layer}（输出）</translation>
    </message>
    <message>
        <source>p(actual next token)</source>
        <translation>p(实际的下一个词元)</translation>
    </message>
    <message>
        <source>Click a position to see each layer&apos;s top next tokens.</source>
        <translation>点击一个位置，查看每层预测概率最高的下一个词元。</translation>
    </message>
    <message>
        <source>Run a causal language model to see the next-token lens.</source>
        <translation>运行因果语言模型以查看下一个词元透镜。</translation>
    </message>
    <message>
        <source>The next-token lens needs a causal language model (for example smollm2-135m); {name} is an encoder.</source>
        <translation>下一个词元透镜需要因果语言模型（例如 smollm2-135m）；{name} 是编码器。</translation>
    </message>
    <message>
        <source>Probability that each layer&apos;s prediction gives to the token that actually comes next (the last position has no next token). The top row, the last layer, is the model&apos;s own prediction.</source>
        <translation>每一层的预测给实际的下一个词元的概率（最后一个位置没有下一个词元）。最上面一行，即最后一层，是模型自己的预测。</translation>
    </message>
    <message>
        <source>Position #{index} {token} → actually next: {next}, p = {p} at the last layer</source>
        <translation>位置 #{index} {token} → 实际的下一个词元：{next}，最后一层的 p = {p}</translation>
    </message>
    <message>
        <source>Position #{index} {token} → actually next: —</source>
        <translation>位置 #{index} {token} → 实际的下一个词元：—</translation>
    </message>
    <message>
        <source>top {0}</source>
        <translation>第 {0} 名</translation>
    </message>
    <message>
        <source>p(next)</source>
        <translation>p(下一个)</translation>
    </message>
    <message>
        <source>{layer}, #{index} {token}: p(next) {p}; top guess {best} ({best_p})</source>
        <translation>{layer}，#{index} {token}：p(下一个) {p}；最可能的猜测 {best}（{best_p}）</translation>
    </message>
</context>
<context>
    <name>LongTextView</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;text file…</source>
        <translation>打开文本文件(&amp;T)…</translation>
    </message>
    <message>
        <source>Open t&amp;okenizer…</source>
        <translation>打开分词器(&amp;O)…</translation>
    </message>
    <message>
        <source>Open tokenizer &amp;folder…</source>
        <translation>打开分词器文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <source>Compare on a &amp;corpus…</source>
        <translation>在语料库上比较(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Token Inspector</source>
        <translation>关于 Token Inspector(&amp;A)</translation>
    </message>
    <message>
        <source> (modified copy)</source>
        <translation>（修改后的副本）</translation>
    </message>
</context>
<context>
    <name>Message</name>
    <message>
        <source>no such file or folder: {0}</source>
        <translation>没有这个文件或文件夹：{0}</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; is not in the local Hugging Face cache and the hub cannot be reached (offline); use a catalog tokenizer, a local folder or file, or connect once</source>
        <translation>“{0}”不在本地 Hugging Face 缓存中，且无法连接 Hub（离线）；请使用目录中的分词器、本地文件夹或文件，或联网一次</translation>
    </message>
    <message>
        <source>{0}: unknown tokenizer file type (use a folder, tokenizer.json, a SentencePiece .model or a .tiktoken file)</source>
        <translation>{0}：无法识别的分词器文件类型（请使用文件夹、tokenizer.json、SentencePiece .model 或 .tiktoken 文件）</translation>
    </message>
    <message>
        <source>{0} has no tokenizer files (tokenizer.json, tokenizer_config.json, vocab.txt, *.model…): is it the right folder?</source>
        <translation>{0} 中没有分词器文件（tokenizer.json、tokenizer_config.json、vocab.txt、*.model…）：是不是选错了文件夹？</translation>
    </message>
    <message>
        <source>{0} has no vocabulary: tokenizer_config.json asks for {1} but {2} (a tokenizer folder needs tokenizer.json, vocab.txt, vocab.json + merges.txt or a SentencePiece .model)</source>
        <translation>{0} 中没有词表：tokenizer_config.json 要求 {1}，但{2}（分词器文件夹需要 tokenizer.json、vocab.txt、vocab.json + merges.txt 或 SentencePiece .model）</translation>
    </message>
    <message>
        <source>{0} is missing</source>
        <translation>缺少 {0}</translation>
    </message>
    <message>
        <source>no vocabulary file is there</source>
        <translation>其中没有词表文件</translation>
    </message>
    <message>
        <source>{0} needs its own Python code to load; Token Inspector does not run remote code unless you pass --trust-remote-code</source>
        <translation>{0} 需要运行它自带的 Python 代码才能加载；除非传入 --trust-remote-code，Token Inspector 不运行远程代码</translation>
    </message>
    <message>
        <source>{0} is not valid JSON ({1})</source>
        <translation>{0} 不是有效的 JSON（{1}）</translation>
    </message>
    <message>
        <source>not enough memory to load {0}</source>
        <translation>内存不足，无法加载 {0}</translation>
    </message>
    <message>
        <source>{0} is a file: a model is a folder with config.json and its weights (as written by save_pretrained)</source>
        <translation>{0} 是一个文件：模型应是包含 config.json 和权重的文件夹（即 save_pretrained 写出的文件夹）</translation>
    </message>
    <message>
        <source>no such model folder: {0}</source>
        <translation>没有这个模型文件夹：{0}</translation>
    </message>
    <message>
        <source>&apos;{0}&apos; is not a catalog model ({1}), not a folder, and not in the local Hugging Face cache; the hub cannot be reached (offline)</source>
        <translation>“{0}”不是目录中的模型（{1}），不是文件夹，也不在本地 Hugging Face 缓存中；且无法连接 Hub（离线）</translation>
    </message>
    <message>
        <source>a tokenizer_config.json (settings, not the vocabulary): open the folder that holds it, or the tokenizer.json next to it</source>
        <translation>tokenizer_config.json（设置，而不是词表）：请打开包含它的文件夹，或它旁边的 tokenizer.json</translation>
    </message>
    <message>
        <source>a model&apos;s config.json: open the folder that holds it, or the tokenizer.json next to it</source>
        <translation>模型的 config.json：请打开包含它的文件夹，或它旁边的 tokenizer.json</translation>
    </message>
    <message>
        <source>a special_tokens_map.json: open the folder that holds it, or the tokenizer.json next to it</source>
        <translation>special_tokens_map.json：请打开包含它的文件夹，或它旁边的 tokenizer.json</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>一个列表</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>一个字符串</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>null</source>
        <translation>null</translation>
    </message>
    <message>
        <source>a vocab.json (token → id) without its merges: open the folder that holds it</source>
        <translation>缺少合并规则（merges）的 vocab.json（词元 → id）：请打开包含它的文件夹</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>一个数字</translation>
    </message>
    <message>
        <source>{0} is JSON but not a tokenizer.json: it holds {1}, not an object with a &quot;model&quot;</source>
        <translation>{0} 是 JSON，但不是 tokenizer.json：其内容是{1}，而不是带有 &quot;model&quot; 的对象</translation>
    </message>
    <message>
        <source>{0} is JSON but not a tokenizer.json: its &quot;model&quot; is {1}, not an object</source>
        <translation>{0} 是 JSON，但不是 tokenizer.json：其 &quot;model&quot; 是{1}，而不是对象</translation>
    </message>
    <message>
        <source>{0} is JSON but not a tokenizer.json: it has no &quot;model&quot;; it looks like {1}</source>
        <translation>{0} 是 JSON，但不是 tokenizer.json：其中没有 &quot;model&quot;；它看起来像{1}</translation>
    </message>
    <message>
        <source>{0} is JSON but not a tokenizer.json: it has no &quot;model&quot; (its keys: {1})</source>
        <translation>{0} 是 JSON，但不是 tokenizer.json：其中没有 &quot;model&quot;（它的键：{1}）</translation>
    </message>
    <message>
        <source>{0} is not a valid tokenizer.json: it is not valid JSON ({1})</source>
        <translation>{0} 不是有效的 tokenizer.json：它不是有效的 JSON（{1}）</translation>
    </message>
    <message>
        <source>{0} is not a valid tokenizer.json ({1})</source>
        <translation>{0} 不是有效的 tokenizer.json（{1}）</translation>
    </message>
</context>
<context>
    <name>MessageRow</name>
    <message>
        <source>Role of this message</source>
        <translation>这条消息的角色</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>消息文本</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Remove this message</source>
        <translation>删除这条消息</translation>
    </message>
</context>
<context>
    <name>ModelBar</name>
    <message>
        <source>Use the model&apos;s tokenizer</source>
        <translation>使用模型的分词器</translation>
    </message>
    <message>
        <source>Encode the window&apos;s text with the tokenizer this model was trained with</source>
        <translation>用训练该模型时所用的分词器对窗口中的文本编码</translation>
    </message>
    <message>
        <source>⚠ This model was trained with its own tokenizer ({0}); the window uses {1}. Its ids mean other tokens to the model.</source>
        <translation>⚠ 该模型是用它自己的分词器（{0}）训练的；窗口使用的是 {1}。这些 id 对模型来说代表别的词元。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Run cancelled.</source>
        <translation>运行已取消。</translation>
    </message>
    <message>
        <source>No model loaded: press Run to load one.</source>
        <translation>未加载模型：按“运行”加载。</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>dtype:</source>
        <translation>数据类型：</translation>
    </message>
    <message>
        <source>A catalog model, a model folder (save_pretrained) or an HF id</source>
        <translation>目录中的模型、模型文件夹（save_pretrained）或 HF id</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>打开模型文件夹…</translation>
    </message>
    <message>
        <source>auto = CUDA GPU, else Apple MPS, else the CPU</source>
        <translation>auto = 优先 CUDA GPU，其次 Apple MPS，否则 CPU</translation>
    </message>
    <message>
        <source>auto = bfloat16/float16 on a GPU, float32 on the CPU</source>
        <translation>auto = GPU 上用 bfloat16/float16，CPU 上用 float32</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run the model on the current text (loads it first)</source>
        <translation>在当前文本上运行模型（先加载模型）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Run after each edit</source>
        <translation>每次编辑后运行</translation>
    </message>
    <message>
        <source>Allow the model&apos;s own Python code (remote code)</source>
        <translation>允许运行模型自带的 Python 代码（远程代码）</translation>
    </message>
    <message>
        <source>Allow PyTorch pickle weights (.bin, tensors only)</source>
        <translation>允许 PyTorch pickle 权重（.bin，仅张量）</translation>
    </message>
    <message>
        <source>Open model folder (save_pretrained)</source>
        <translation>打开模型文件夹（save_pretrained）</translation>
    </message>
    <message>
        <source>Loading {0}… (the first model load imports torch: a few seconds)</source>
        <translation>正在加载 {0}…（首次加载模型要导入 torch：需要几秒钟）</translation>
    </message>
    <message>
        <source>loading %p%</source>
        <translation>加载中 %p%</translation>
    </message>
    <message>
        <source>, up to {0} positions</source>
        <translation>，最多 {0} 个位置</translation>
    </message>
    <message>
        <source>encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <source>causal</source>
        <translation>因果语言模型</translation>
    </message>
    <message>
        <source>{name} · {kind} ({architecture}) · {layers} layers × {heads} heads · hidden {hidden}{positions} · {device} {dtype} · tokenizer {tokenizer}</source>
        <translation>{name} · {kind}（{architecture}）· {layers} 层 × {heads} 个头 · 隐藏维度 {hidden}{positions} · {device} {dtype} · 分词器 {tokenizer}</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Could not load the model: {0}</source>
        <translation>无法加载模型：{0}</translation>
    </message>
    <message>
        <source>layer %v of %m</source>
        <translation>第 %v 层，共 %m 层</translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation>加载已取消。</translation>
    </message>
</context>
<context>
    <name>ModelDocks</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Hidden states</source>
        <translation>隐藏状态</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>Next-token lens</source>
        <translation>下一个词元透镜</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Run model</source>
        <translation>运行模型(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel model run</source>
        <translation>取消模型运行(&amp;C)</translation>
    </message>
    <message>
        <source>Run after each &amp;edit</source>
        <translation>每次编辑后运行(&amp;E)</translation>
    </message>
    <message>
        <source>Open model &amp;folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
</context>
<context>
    <name>ModelEntry</name>
    <message>
        <source>all-MiniLM-L6-v2 (BERT encoder, 6 layers × 12 heads, sentence embeddings)</source>
        <translation>all-MiniLM-L6-v2（BERT 编码器，6 层 × 12 个注意力头，句向量）</translation>
    </message>
    <message>
        <source>SmolLM2-135M-Instruct (Llama decoder, 30 layers × 9 heads; converted once from GGUF)</source>
        <translation>SmolLM2-135M-Instruct（Llama 解码器，30 层 × 9 个注意力头；从 GGUF 转换一次）</translation>
    </message>
</context>
<context>
    <name>OverflowModel</name>
    <message>
        <source>no text</source>
        <translation>无文本</translation>
    </message>
    <message>
        <source>text {0}–{1}</source>
        <translation>文本 {0}–{1}</translation>
    </message>
    <message>
        <source>pair {0}–{1}</source>
        <translation>第二段 {0}–{1}</translation>
    </message>
    <message>
        <source>pair text characters {0}–{1}: “{2}”</source>
        <translation>第二段文本字符 {0}–{1}：“{2}”</translation>
    </message>
    <message>
        <source>text characters {0}–{1}: “{2}”</source>
        <translation>文本字符 {0}–{1}：“{2}”</translation>
    </message>
    <message>
        <source>this window holds no text tokens</source>
        <translation>此窗口不含文本词元</translation>
    </message>
    <message>
        <source>repeated from the previous window (stride)</source>
        <translation>与上一个窗口重复（步长）</translation>
    </message>
    <message>
        <source>span</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>main · token</source>
        <translation>主窗口 · 词元</translation>
    </message>
    <message>
        <source>window {0} · token</source>
        <translation>窗口 {0} · 词元</translation>
    </message>
</context>
<context>
    <name>PaneBody</name>
    <message>
        <source>Put the text in the editor: the window may stop answering for a while</source>
        <translation>把文本放进编辑器：窗口可能会有一段时间没有响应</translation>
    </message>
    <message>
        <source>Line {line} has {count} characters: shown read-only so the window stays responsive.</source>
        <translation>第 {line} 行有 {count} 个字符：以只读方式显示，以免窗口卡住。</translation>
    </message>
    <message>
        <source>The text has {count} characters: shown read-only so the window stays responsive.</source>
        <translation>文本有 {count} 个字符：以只读方式显示，以免窗口卡住。</translation>
    </message>
    <message>
        <source>Edit anyway</source>
        <translation>仍要编辑</translation>
    </message>
</context>
<context>
    <name>RoundTripKind</name>
    <message>
        <source>unknown token</source>
        <translation>未知词元</translation>
    </message>
    <message>
        <source>lowercasing</source>
        <translation>转为小写</translation>
    </message>
    <message>
        <source>accents removed</source>
        <translation>去掉重音符号</translation>
    </message>
    <message>
        <source>unicode normalization</source>
        <translation>Unicode 规范化</translation>
    </message>
    <message>
        <source>whitespace</source>
        <translation>空白字符</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>被丢弃</translation>
    </message>
    <message>
        <source>invalid bytes</source>
        <translation>无效字节</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>被改变</translation>
    </message>
</context>
<context>
    <name>RowsTable</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Delete the selected rows</source>
        <translation>删除选中的行</translation>
    </message>
    <message>
        <source>Copy the selection</source>
        <translation>复制所选内容</translation>
    </message>
    <message>
        <source>Cut the selection</source>
        <translation>剪切所选内容</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
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
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Key {0}</source>
        <translation>按键 {0}</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>ShowCodeDialog</name>
    <message>
        <source>Show code</source>
        <translation>显示代码</translation>
    </message>
    <message>
        <source>The transformers code that gives what the window shows: run it to get the same ids (the tokenizer is loaded from the Hugging Face hub or its folder).</source>
        <translation>得到窗口中所示结果的 transformers 代码：运行它会得到相同的 id（分词器从 Hugging Face Hub 或其所在文件夹加载）。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>StatsModel</name>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>as requested (catalog id, file or folder)</source>
        <translation>按请求的名称（目录 id、文件或文件夹）</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>tokens the model sees (special included, padding not)</source>
        <translation>模型看到的词元数（含特殊词元，不含填充）</translation>
    </message>
    <message>
        <source>Chars/token</source>
        <translation>字符/词元</translation>
    </message>
    <message>
        <source>characters per text token: higher = denser</source>
        <translation>每个文本词元的字符数：越高越紧凑</translation>
    </message>
    <message>
        <source>Bytes/token</source>
        <translation>字节/词元</translation>
    </message>
    <message>
        <source>UTF-8 bytes per text token</source>
        <translation>每个文本词元的 UTF-8 字节数</translation>
    </message>
    <message>
        <source>Words/token</source>
        <translation>单词/词元</translation>
    </message>
    <message>
        <source>whitespace-separated words per text token</source>
        <translation>每个文本词元的单词数（按空白分隔）</translation>
    </message>
    <message>
        <source>UNK</source>
        <translation>UNK</translation>
    </message>
    <message>
        <source>tokens that are the unknown token</source>
        <translation>是未知词元的词元数</translation>
    </message>
    <message>
        <source>UNK rate</source>
        <translation>UNK 比例</translation>
    </message>
    <message>
        <source>unknown tokens / text tokens</source>
        <translation>未知词元数 / 文本词元数</translation>
    </message>
    <message>
        <source>Unshared</source>
        <translation>不共有</translation>
    </message>
    <message>
        <source>text tokens with a start or end that not every other row has as a boundary</source>
        <translation>起点或终点不是其他每一行都有的边界的文本词元数</translation>
    </message>
    <message>
        <source>Round-trip</source>
        <translation>往返（编码再解码）</translation>
    </message>
    <message>
        <source>decode(encode(text)) == text</source>
        <translation>decode(encode(text)) == text</translation>
    </message>
    <message>
        <source>Vocab</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>vocabulary size</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>算法</translation>
    </message>
    <message>
        <source>tokenization algorithm</source>
        <translation>分词算法</translation>
    </message>
</context>
<context>
    <name>StatsTable</name>
    <message>
        <source>Comparison statistics</source>
        <translation>比较统计</translation>
    </message>
    <message>
        <source>Click a header to sort; Ctrl+C copies the rows as TSV</source>
        <translation>点击表头排序；Ctrl+C 以 TSV 复制所选行</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>tokenizing… %p%</source>
        <translation>分词中… %p%</translation>
    </message>
    <message>
        <source>Tokenization progress</source>
        <translation>分词进度</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <source>Stop this tokenization; the tokens shown stay, with their tokenizer</source>
        <translation>停止本次分词；已显示的词元及其分词器保留</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Tokenize the text with the tokenizer shown</source>
        <translation>用当前显示的分词器对文本分词</translation>
    </message>
    <message>
        <source>loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
    <message>
        <source>Tokenization failed</source>
        <translation>分词失败</translation>
    </message>
    <message>
        <source>Cancelled: back to {0}</source>
        <translation>已取消：回到 {0}</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>no tokenizer loaded</source>
        <translation>未加载分词器</translation>
    </message>
    <message>
        <source>{0:,} tokens · {1:.2f} chars/token · {2:.2f} bytes/token</source>
        <translation>{0:,} 个词元 · 每词元 {1:.2f} 个字符 · 每词元 {2:.2f} 字节</translation>
    </message>
    <message>
        <source> · {0} unknown</source>
        <translation> · {0} 个未知词元</translation>
    </message>
    <message>
        <source> · {0} windows</source>
        <translation> · {0} 个溢出窗口</translation>
    </message>
    <message>
        <source>round-trip ✓</source>
        <translation>往返 ✓</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>round-trip ✗</source>
        <translation>往返 ✗</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>⚠ {0} special-token string(s) in the text parsed as control tokens (Encoding: “special tokens as text” reads them as text)</source>
        <translation>⚠ 文本中有 {0} 个特殊词元字符串被解析为控制词元（在“编码”中勾选“特殊词元按文本处理”即按文本读取）</translation>
    </message>
    <message>
        <source>decode(encode(text)) differs in {0} places:</source>
        <translation>decode(encode(text)) 有 {0} 处不同：</translation>
    </message>
    <message>
        <source>chars {0}–{1}: {2} → {3}  ({4})</source>
        <translation>字符 {0}–{1}：{2} → {3}  （{4}）</translation>
    </message>
    <message>
        <source>Round-trip</source>
        <translation>往返（编码再解码）</translation>
    </message>
</context>
<context>
    <name>TextPanes</name>
    <message>
        <source>Type or paste text here, or drop a text file…</source>
        <translation>在此输入或粘贴文本，或拖入一个文本文件…</translation>
    </message>
    <message>
        <source>Second text of the pair</source>
        <translation>句子对的第二段文本</translation>
    </message>
    <message>
        <source>A line is longer than {0} characters: lines are not wrapped while it is (wrapping it would freeze the window).</source>
        <translation>有一行超过 {0} 个字符：在此期间不自动换行（为它换行会让窗口卡住）。</translation>
    </message>
    <message>
        <source>Cannot show the text: {0}</source>
        <translation>无法显示文本：{0}</translation>
    </message>
    <message>
        <source>Open text file</source>
        <translation>打开文本文件</translation>
    </message>
    <message>
        <source>Cannot read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <source>{name} is not valid UTF-8: {count} bytes cannot be read as text, the first at byte {offset}. It may be in another encoding (Latin-1, Windows-1252, GBK…).</source>
        <translation>{name} 不是有效的 UTF-8：有 {count} 个字节无法作为文本读取，第一个位于第 {offset} 字节。它可能使用了其他编码（Latin-1、Windows-1252、GBK…）。</translation>
    </message>
    <message>
        <source>{name} starts with a {encoding} byte order mark but {count} of its bytes are not valid {encoding}.</source>
        <translation>{name} 以 {encoding} 字节顺序标记开头，但其中有 {count} 个字节不是有效的 {encoding}。</translation>
    </message>
    <message>
        <source>Open with replacement characters</source>
        <translation>用替换字符打开</translation>
    </message>
    <message>
        <source>{name} is open with {count} bytes replaced by U+FFFD (�): the tokens are those of this text, not of the file&apos;s bytes.</source>
        <translation>已打开 {name}，其中 {count} 个字节被替换为 U+FFFD（�）：词元来自替换后的文本，而不是文件原本的字节。</translation>
    </message>
    <message>
        <source>CR/CRLF line ends</source>
        <translation>CR/CRLF 行尾</translation>
    </message>
    <message>
        <source>U+2029 paragraph separators</source>
        <translation>U+2029 段落分隔符</translation>
    </message>
    <message>
        <source>{0}: the editor shows {1} as LF; use the command line for a byte-exact report of this file (U+2028 line separators are kept as they are)</source>
        <translation>{0}：编辑器把{1}显示为 LF；要得到该文件逐字节精确的报告，请使用命令行（U+2028 行分隔符保持原样）</translation>
    </message>
    <message>
        <source> and </source>
        <translation>和</translation>
    </message>
    <message>
        <source>Pair texts, one per line (optional)</source>
        <translation>第二段文本，每行一段（可选）</translation>
    </message>
</context>
<context>
    <name>ThemeMenu</name>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
</context>
<context>
    <name>TokenDetails</name>
    <message>
        <source>Click a token to see its details.</source>
        <translation>点击一个词元查看详细信息。</translation>
    </message>
    <message>
        <source>id {0}</source>
        <translation>id {0}</translation>
    </message>
    <message>
        <source>token {0}</source>
        <translation>词元 {0}</translation>
    </message>
    <message>
        <source>shown as {0}</source>
        <translation>显示为 {0}</translation>
    </message>
    <message>
        <source>chars {0}–{1}</source>
        <translation>字符 {0}–{1}</translation>
    </message>
    <message>
        <source>bytes {0}–{1} [{2}]</source>
        <translation>字节 {0}–{1} [{2}]</translation>
    </message>
    <message>
        <source>word {0}</source>
        <translation>单词 {0}</translation>
    </message>
    <message>
        <source>sequence {0}</source>
        <translation>序列 {0}</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
</context>
<context>
    <name>TokenExplanation</name>
    <message>
        <source>{shown} is {what}</source>
        <translation>{shown} 即 {what}</translation>
    </message>
    <message>
        <source>{what} (no font here draws it)</source>
        <translation>{what}（本机没有能显示它的字体）</translation>
    </message>
    <message>
        <source>special token added by the tokenizer, not part of your text</source>
        <translation>分词器添加的特殊词元，不属于你的文本</translation>
    </message>
    <message>
        <source>control token: the text holds the string {token}, which the tokenizer parsed as its special token, not as text (split special tokens to encode it as text)</source>
        <translation>控制词元：文本中含有字符串 {token}，分词器把它解析成了自己的特殊词元，而不是文本（勾选“特殊词元按文本处理”即可把它当作文本编码）</translation>
    </message>
    <message>
        <source>## means it continues the previous piece of the same word (WordPiece)</source>
        <translation>## 表示它接在同一个词的前一个片段之后（WordPiece）</translation>
    </message>
    <message>
        <source>one raw byte {byte} (byte fallback: the character is not in the vocab)</source>
        <translation>一个原始字节 {byte}（字节回退：该字符不在词表中）</translation>
    </message>
    <message>
        <source>▁ marks a space / the start of a word (SentencePiece)</source>
        <translation>▁ 表示空格 / 词的开头（SentencePiece）</translation>
    </message>
    <message>
        <source>Ġ is the space byte 0x20 in byte-level BPE&apos;s printable alphabet</source>
        <translation>Ġ 是字节级 BPE 可打印字母表中的空格字节 0x20</translation>
    </message>
    <message>
        <source>Ċ is the newline byte 0x0A</source>
        <translation>Ċ 是换行字节 0x0A</translation>
    </message>
    <message>
        <source>ĉ is the tab byte 0x09</source>
        <translation>ĉ 是制表符字节 0x09</translation>
    </message>
    <message>
        <source>bytes {bytes} are only part of a character</source>
        <translation>字节 {bytes} 只是一个字符的一部分</translation>
    </message>
</context>
<context>
    <name>TokenGridModel</name>
    <message>
        <source>position {0}</source>
        <translation>位置 {0}</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>sequence</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
</context>
<context>
    <name>TokenRole</name>
    <message>
        <source>{token} (classification) starts every sequence. The model&apos;s final vector at this position is what the pooler and classification heads read.</source>
        <translation>{token}（分类词元）位于每个序列的开头。模型在这个位置的最终向量由池化层和分类头读取。</translation>
    </message>
    <message>
        <source>{token} (separator) separates the first text of the pair from the second.</source>
        <translation>{token}（分隔词元）把句子对的第一段文本与第二段分开。</translation>
    </message>
    <message>
        <source>{token} (separator) ends the sequence.</source>
        <translation>{token}（分隔词元）结束这个序列。</translation>
    </message>
    <message>
        <source>{token} (padding) fills shorter texts of a batch up to one length. Its attention_mask is 0, so the model ignores it.</source>
        <translation>{token}（填充词元）把批次中较短的文本补齐到同一长度。它的 attention_mask 为 0，模型会忽略它。</translation>
    </message>
    <message>
        <source>{token} (unknown) stands for text the vocabulary cannot spell. The original characters are lost: decoding gives {token} back.</source>
        <translation>{token}（未知词元）代替词表拼不出的文本。原来的字符已经丢失：解码只能得到 {token}。</translation>
    </message>
    <message>
        <source>{token} (mask) hides a token for masked-language modelling: the model predicts what stood here (fill-mask).</source>
        <translation>{token}（掩码词元）在掩码语言模型中遮住一个词元：模型预测这里原本是什么（完形填空）。</translation>
    </message>
    <message>
        <source>{token} (beginning of sequence) marks where a text starts.</source>
        <translation>{token}（序列开始）标记文本从哪里开始。</translation>
    </message>
    <message>
        <source>{token} (end of sequence) here ends the first text of the pair and so separates it from the second.</source>
        <translation>{token}（序列结束）在这里结束句子对的第一段文本，从而把它与第二段分开。</translation>
    </message>
    <message>
        <source>{token} (end of sequence) marks where a text ends; a generating model stops when it writes it.</source>
        <translation>{token}（序列结束）标记文本在哪里结束；生成模型写出它时就停止。</translation>
    </message>
    <message>
        <source>{token} marks a document boundary: GPT-style models saw it between documents in training, and use it to start or end a text.</source>
        <translation>{token} 标记文档边界：GPT 类模型在训练中见到它出现在文档之间，并用它开始或结束一段文本。</translation>
    </message>
    <message>
        <source>{token} opens a chat message; the role (system, user, assistant) follows it.</source>
        <translation>{token} 开始一条对话消息；后面紧跟角色（system、user、assistant）。</translation>
    </message>
    <message>
        <source>{token} closes a chat message (the end of a turn).</source>
        <translation>{token} 结束一条对话消息（一轮发言的结尾）。</translation>
    </message>
    <message>
        <source>{token} opens or closes a user instruction in Mistral&apos;s chat format.</source>
        <translation>{token} 在 Mistral 的对话格式中开始或结束一条用户指令。</translation>
    </message>
    <message>
        <source>{token} marks a part (prefix, middle, suffix) of a fill-in-the-middle prompt for code completion.</source>
        <translation>{token} 标记代码补全中“中间填充”（FIM）提示的一部分（前缀、中间、后缀）。</translation>
    </message>
    <message>
        <source>{token} is reserved: a special token with no fixed role, kept for fine-tuning.</source>
        <translation>{token} 是保留词元：没有固定作用的特殊词元，留作微调之用。</translation>
    </message>
    <message>
        <source>{token} is one of this tokenizer&apos;s special tokens: it is never split. The tokenizer does not say what it is for.</source>
        <translation>{token} 是此分词器的特殊词元之一：它从不被拆分。分词器没有说明它的用途。</translation>
    </message>
    <message>
        <source>{token} was added to this tokenizer&apos;s vocabulary: the text is cut around it, so it always stays one token.</source>
        <translation>{token} 是加入此分词器词表的新增词元：文本会在它周围切开，所以它总是一个词元。</translation>
    </message>
    <message>
        <source>This tokenizer also pads with it: as padding, its attention_mask is 0.</source>
        <translation>此分词器也用它做填充：作为填充时，它的 attention_mask 为 0。</translation>
    </message>
    <message>
        <source>Here it is padding: its attention_mask is 0 and the model ignores it.</source>
        <translation>这里它是填充：attention_mask 为 0，模型会忽略它。</translation>
    </message>
</context>
<context>
    <name>TokenStrip</name>
    <message>
        <source>Token strip</source>
        <translation>词元条</translation>
    </message>
    <message>
        <source>Laying out {0:,} tokens…</source>
        <translation>正在排布 {0:,} 个词元…</translation>
    </message>
    <message>
        <source>No tokens</source>
        <translation>没有词元</translation>
    </message>
    <message>
        <source>⚠ control token typed in the text (parsed, not read as text)</source>
        <translation>⚠ 文本中输入的控制词元（被解析，而不是按文本读取）</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>unknown ([UNK])</source>
        <translation>未知（[UNK]）</translation>
    </message>
    <message>
        <source>padding (attention mask 0)</source>
        <translation>填充（attention_mask 为 0）</translation>
    </message>
    <message>
        <source>part of a character</source>
        <translation>字符的一部分</translation>
    </message>
    <message>
        <source>token: {0}</source>
        <translation>词元：{0}</translation>
    </message>
    <message>
        <source>shown: {0}</source>
        <translation>显示为：{0}</translation>
    </message>
    <message>
        <source>bytes: {0}</source>
        <translation>字节：{0}</translation>
    </message>
    <message>
        <source>span: characters {0}–{1}, bytes {2}–{3}</source>
        <translation>范围：字符 {0}–{1}，字节 {2}–{3}</translation>
    </message>
    <message>
        <source> (pair text)</source>
        <translation>（第二段文本）</translation>
    </message>
</context>
<context>
    <name>TokenTable</name>
    <message>
        <source>filter: text, token or id</source>
        <translation>筛选：文本、词元或 id</translation>
    </message>
    <message>
        <source>Tokens whose text contains this, the tokens that build it in the text (byte-level pieces of a character included), or the token with this id</source>
        <translation>文本包含此内容的词元、在文本中构成它的词元（包括一个字符的字节级片段），或具有此 id 的词元</translation>
    </message>
    <message>
        <source>Copy as TSV</source>
        <translation>以 TSV 复制</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>no tokens</source>
        <translation>没有词元</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个词元</translation>
    </message>
    <message>
        <source>{0} of {1} tokens</source>
        <translation>{1} 个词元中的 {0} 个</translation>
    </message>
</context>
<context>
    <name>TokenTableModel</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>bytes {0}</source>
        <translation>字节 {0}</translation>
    </message>
    <message>
        <source>covers only part of a character&apos;s bytes</source>
        <translation>只覆盖一个字符的部分字节</translation>
    </message>
    <message>
        <source>index</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>position of the token in the sequence</source>
        <translation>词元在序列中的位置</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>token id in the vocabulary</source>
        <translation>词表中的词元 id</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>the raw vocabulary string (Ġ, ▁, ## as stored)</source>
        <translation>词表中的原始字符串（Ġ、▁、## 按存储形式）</translation>
    </message>
    <message>
        <source>display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>what the token stands for, spaces as ␣</source>
        <translation>词元所代表的内容，空格显示为 ␣</translation>
    </message>
    <message>
        <source>start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>first character of the token&apos;s span</source>
        <translation>词元跨度的第一个字符</translation>
    </message>
    <message>
        <source>end</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>character after the token&apos;s span</source>
        <translation>词元跨度之后的字符</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>what the token stands for, as UTF-8 bytes in hex</source>
        <translation>词元所代表的内容，以十六进制 UTF-8 字节表示</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>added by the tokenizer (CLS, BOS…)</source>
        <translation>由分词器添加（CLS、BOS…）</translation>
    </message>
    <message>
        <source>word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>word id: the word the token belongs to</source>
        <translation>词 id：词元所属的词</translation>
    </message>
    <message>
        <source>seq</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>sequence id: 0 text, 1 pair</source>
        <translation>序列 id：0 为文本，1 为第二段文本</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>attention mask (0: pad)</source>
        <translation>注意力掩码（0：填充）</translation>
    </message>
    <message>
        <source>type</source>
        <translation>句段</translation>
    </message>
    <message>
        <source>token type id (segment)</source>
        <translation>句段 id（token type id）</translation>
    </message>
</context>
<context>
    <name>TokenizerBar</name>
    <message>
        <source>Whitespace glyphs</source>
        <translation>显示空白符号</translation>
    </message>
    <message>
        <source>Show ids</source>
        <translation>显示 id</translation>
    </message>
    <message>
        <source>Colour-blind palette</source>
        <translation>色盲友好配色</translation>
    </message>
    <message>
        <source>Tokenizer:</source>
        <translation>分词器：</translation>
    </message>
    <message>
        <source>modified copy: {0} added · &lt;a href=&quot;reset&quot;&gt;reset&lt;/a&gt;</source>
        <translation>修改后的副本：新增 {0} 个 · &lt;a href=&quot;reset&quot;&gt;还原&lt;/a&gt;</translation>
    </message>
</context>
<context>
    <name>TokenizerPanel</name>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Algorithm:</source>
        <translation>算法：</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>词表：</translation>
    </message>
    <message>
        <source>Max length:</source>
        <translation>最大长度：</translation>
    </message>
    <message>
        <source>Lowercases:</source>
        <translation>转小写：</translation>
    </message>
    <message>
        <source>Byte-level:</source>
        <translation>字节级：</translation>
    </message>
    <message>
        <source>Unknown token:</source>
        <translation>未知词元：</translation>
    </message>
    <message>
        <source>Padding token:</source>
        <translation>填充词元：</translation>
    </message>
    <message>
        <source>Normalizer:</source>
        <translation>规范化器：</translation>
    </message>
    <message>
        <source>Pre-tokenizer:</source>
        <translation>预分词器：</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>指纹：</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Special/added:</source>
        <translation>特殊/新增：</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Vocabulary lookup</source>
        <translation>查词表</translation>
    </message>
    <message>
        <source>an id (→ token) or text (→ tokens that contain it)</source>
        <translation>输入 id（→ 词元）或文本（→ 包含它的词元）</translation>
    </message>
    <message>
        <source>display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>&quot;What if&quot; added tokens</source>
        <translation>试加词元（“假如”）</translation>
    </message>
    <message>
        <source>e.g. &lt;tag&gt;, foo bar (comma or space separated)</source>
        <translation>例如 &lt;tag&gt;, foo bar（以逗号或空格分隔）</translation>
    </message>
    <message>
        <source>special</source>
        <translation>特殊</translation>
    </message>
    <message>
        <source>add them as special tokens (never split, skipped when decoding with skip_special_tokens)</source>
        <translation>作为特殊词元添加（从不拆分，用 skip_special_tokens 解码时略去）</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>encode with a copy of this tokenizer that has these tokens</source>
        <translation>用加入了这些词元的分词器副本来编码</translation>
    </message>
    <message>
        <source>go back to the tokenizer as it was loaded</source>
        <translation>回到刚加载时的分词器</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Showing a what-if copy of the tokenizer: Reset goes back to the original.</source>
        <translation>正在显示分词器的试加副本：按“还原”回到原来的分词器。</translation>
    </message>
    <message>
        <source>no tokenizer loaded</source>
        <translation>未加载分词器</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} 个词元</translation>
    </message>
    <message>
        <source>not declared</source>
        <translation>未声明</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>{0} special, {1} added</source>
        <translation>{0} 个特殊词元，{1} 个新增词元</translation>
    </message>
    <message>
        <source>no token has id {0} (vocabulary: {1})</source>
        <translation>没有 id 为 {0} 的词元（词表：{1}）</translation>
    </message>
    <message>
        <source>no token contains it</source>
        <translation>没有词元包含它</translation>
    </message>
    <message>
        <source>{0} tokens contain it, showing the first {1}</source>
        <translation>{0} 个词元包含它，显示前 {1} 个</translation>
    </message>
    <message>
        <source>1 token contains it</source>
        <translation>1 个词元包含它</translation>
    </message>
    <message>
        <source>{0} tokens contain it</source>
        <translation>{0} 个词元包含它</translation>
    </message>
</context>
<context>
    <name>ViewKeys</name>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>Go to &amp;tokenizer</source>
        <translation>转到分词器(&amp;T)</translation>
    </message>
    <message>
        <source>Text size of the token strip and the text panes</source>
        <translation>词元条和文本框的文字大小</translation>
    </message>
    <message>
        <source>Put the cursor in the tokenizer box to pick another</source>
        <translation>把光标移到分词器框中，以选择另一个分词器</translation>
    </message>
</context>
</TS>
