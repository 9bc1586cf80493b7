// Story and assistant markdown. react-markdown builds React elements and never injects raw
// HTML (no rehype-raw), so a <script> in a story is shown as text and never runs.
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={`prose-drover ${className ?? ""}`}>
      <ReactMarkdown remarkPlugins={[remarkGfm]}>{text}</ReactMarkdown>
    </div>
  );
}
