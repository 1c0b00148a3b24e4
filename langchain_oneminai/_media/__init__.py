"""1min.ai features as tools (pure decisions + one I/O template).

_schemas.py    the arguments a model fills in (pydantic, agent-friendly descriptions)
_families.py   per model family: which promptObject fields, which values (a table)
_params.py     arguments -> the promptObject a family takes, checked before sending
_results.py    a record -> result files, tool content and artifacts, transcripts
_tool.py       MediaTool: plan -> upload inputs -> run_feature -> fetch -> result
"""
