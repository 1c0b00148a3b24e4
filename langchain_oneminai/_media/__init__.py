"""1min.ai features as tools (pure decisions + one I/O template).

_features.py         the feature table (_data/features.json) and the checks it drives
_schemas.py          the arguments of the image and speech tools (pydantic, agent-facing)
_feature_schemas.py  the arguments of the other feature tools
_families.py         per image model family: which promptObject fields, which values
_params.py           image/speech arguments -> promptObject; input sources; the model check
_plans.py            video, music, sound, translation, voice arguments -> FeatureCall
_image_plans.py      image-operation arguments -> FeatureCall
_text_plans.py       YouTube, writing, content, code arguments -> FeatureCall
_results.py          a record -> result files, result kinds, tool content and artifacts
_tool.py             MediaTool: plan -> (model check) -> upload -> run_feature -> fetch -> result
_generic.py          OneMinAIFeatureTool: any feature, with the user's fields
_feature_tools.py    the typed video, music, sound, translation, voice, YouTube, writing, code tools
_image_tools.py      one tool per image operation
"""
