"""The audit as people and tools read it: terminal lines, Markdown, the JSON report, the classification page."""
