<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <source>Template: {0}</source>
        <translation>模板：{0}</translation>
    </message>
    <message>
        <source>{0} tokens · {1} of message content · template overhead {2} ({3:.0f}%)</source>
        <translation>{0} 个词元 · 消息内容 {1} 个 · 模板开销 {2} 个（{3:.0f}%）</translation>
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
    <name>EncodingPanel</name>
    <message>
        <source>chat…</source>
        <translation>对话…</translation>
    </message>
    <message>
        <source>a conversation under the tokenizer&apos;s own chat template</source>
        <translation>套用分词器自带对话模板的一段对话</translation>
    </message>
    <message>
        <source>special tokens as text</source>
        <translation>特殊词元按文本处理</translation>
    </message>
    <message>
        <source>split_special_tokens: read special-token strings typed in the text (&lt;|endoftext|&gt;, [CLS], &lt;s&gt;…) as plain text. Off, they are parsed as control tokens, as transformers does by default. SentencePiece tokenizers never parse them.</source>
        <translation>split_special_tokens：把文本中输入的特殊词元字符串（&lt;|endoftext|&gt;、[CLS]、&lt;s&gt;…）当作普通文本读取。关闭时，它们被解析为控制词元，与 transformers 的默认行为相同。SentencePiece 分词器从不解析它们。</translation>
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
        <source>Loading cancelled.</source>
        <translation>加载已取消。</translation>
    </message>
</context>
<context>
    <name>ModelDocks</name>
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
    <name>StatusLine</name>
    <message>
        <source>working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <source>loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
    <message>
        <source>no tokenizer loaded</source>
        <translation>未加载分词器</translation>
    </message>
    <message>
        <source>⚠ {0} special-token string(s) in the text parsed as control tokens (Encoding: “special tokens as text” reads them as text)</source>
        <translation>⚠ 文本中有 {0} 个特殊词元字符串被解析为控制词元（在“编码”中勾选“特殊词元按文本处理”即按文本读取）</translation>
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
        <source>Open text file</source>
        <translation>打开文本文件</translation>
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
</context>
<context>
    <name>TokenDetails</name>
    <message>
        <source>Click a token to see its details.</source>
        <translation>点击一个词元查看详细信息。</translation>
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
        <source>⚠ control token typed in the text (parsed, not read as text)</source>
        <translation>⚠ 文本中输入的控制词元（被解析，而不是按文本读取）</translation>
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
</TS>
