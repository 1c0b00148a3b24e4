"""The image-operation tools: one tool per 1min.ai image feature beyond generation and editing.

One tool per operation, not one tool with an ``operation`` argument: the operations take
different inputs (a mask, a second face, pixel margins, a search phrase), and a schema that
holds only what its operation takes leaves an agent no argument that is meaningless for its
call. ``OneMinAIToolkit(include="image")`` hands them all out.

Each follows the ``MediaTool`` template: ``_plans.image_operation_call`` maps the arguments
and checks them against ``_data/features.json`` (wire-features.md#image-operations); the
pictures are uploaded (local files inside ``root_dir``, URLs, asset keys); results are images
(content: a line of text and ``image`` blocks, as ``OneMinAIImageTool``) or, for
image-to-prompt, text.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from langchain_oneminai._media import _image_plans
from langchain_oneminai._media import _plans as plans
from langchain_oneminai._media import _results as results
from langchain_oneminai._media._feature_schemas import (
    BackgroundRemovalInput,
    BackgroundReplacementInput,
    FaceSwapInput,
    ImageExtensionInput,
    ImageToPromptInput,
    InpaintingInput,
    ObjectRemovalInput,
    SearchReplaceInput,
    SketchInput,
    UpscaleInput,
)
from langchain_oneminai._media._tool import FeatureCall, MediaTool, image_result
from langchain_oneminai._wire import AIRecord, clean_text

__all__ = [
    "OneMinAIBackgroundRemoverTool",
    "OneMinAIBackgroundReplacerTool",
    "OneMinAIFaceSwapTool",
    "OneMinAIImageExtenderTool",
    "OneMinAIImageToPromptTool",
    "OneMinAIImageUpscalerTool",
    "OneMinAIInpaintingTool",
    "OneMinAIObjectRemoverTool",
    "OneMinAISearchReplaceTool",
    "OneMinAISketchToImageTool",
]


class ImageOperationTool(MediaTool):
    """An image-operation tool: its feature type, and the template's plan and result."""

    feature_type: ClassVar[str]
    """The 1min.ai feature type this tool runs."""

    def _plan(self, args: BaseModel) -> FeatureCall:
        arguments = args.model_dump()
        model = arguments.get("model") or str(getattr(self, "model", ""))
        return _image_plans.image_operation_call(self.feature_type, arguments, model)

    def _result(
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[list[str | dict[str, Any]], results.ImageArtifact]:
        return image_result(call.feature, call.model, body, record, files)


class OneMinAIBackgroundRemoverTool(ImageOperationTool):
    """Remove the background of a picture with 1min.ai (``BACKGROUND_REMOVER``).

    ``stable-image`` (the default; ``output_format`` png, jpeg or webp), ``clipdrop``,
    ``recraft`` (their fields are not documented: the picture only).
    wire-features.md#background-remover.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIBackgroundRemoverTool

            tool = OneMinAIBackgroundRemoverTool(root_dir="photos", save_dir="cut")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "portrait.jpg"})

    Artifact:
        As ``OneMinAIImageTool``'s, with ``feature`` ``BACKGROUND_REMOVER``.
    """

    name: str = "oneminai_background_remover"
    """The tool name the model calls."""
    description: str = (
        "Remove the background of a picture (local path, URL or 1min.ai asset key) with "
        "1min.ai, leaving the subject on transparency."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = BackgroundRemovalInput
    """The arguments (``BackgroundRemovalInput``)."""
    model: str = plans.default_model("BACKGROUND_REMOVER")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "BACKGROUND_REMOVER"


class OneMinAIBackgroundReplacerTool(ImageOperationTool):
    """Put a picture's subject on a new background with 1min.ai (``BACKGROUND_REPLACER``).

    ``clipdrop`` (the default: the picture and the prompt), ``gpt-image-1``,
    ``gpt-image-1-mini`` (``size`` defaults to 1024x1024, ``n``, ``quality``,
    ``output_format``), ``recraft`` (``n``, ``negative_prompt``, style extras).
    wire-features.md#background-replacer.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIBackgroundReplacerTool

            tool = OneMinAIBackgroundReplacerTool(root_dir="photos", save_dir="out")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "product.png", "prompt": "a marble kitchen counter"})
    """

    name: str = "oneminai_background_replacer"
    """The tool name the model calls."""
    description: str = (
        "Replace the background of a picture (local path, URL or 1min.ai asset key) with one "
        "described by a prompt, with 1min.ai."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = BackgroundReplacementInput
    """The arguments (``BackgroundReplacementInput``)."""
    model: str = plans.default_model("BACKGROUND_REPLACER")
    """The model used when a call names none (clipdrop: the documented response example)."""
    feature_type: ClassVar[str] = "BACKGROUND_REPLACER"


class OneMinAIImageUpscalerTool(ImageOperationTool):
    """Upscale a picture with 1min.ai (``IMAGE_UPSCALER``; stable-image: 4x).

    wire-features.md#image-upscaler.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIImageUpscalerTool

            tool = OneMinAIImageUpscalerTool(root_dir="photos", save_dir="big")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "thumbnail.png"})
    """

    name: str = "oneminai_image_upscaler"
    """The tool name the model calls."""
    description: str = (
        "Upscale a picture (local path, URL or 1min.ai asset key) to a higher resolution with "
        "1min.ai."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = UpscaleInput
    """The arguments (``UpscaleInput``)."""
    model: str = plans.default_model("IMAGE_UPSCALER")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "IMAGE_UPSCALER"


class OneMinAIImageToPromptTool(ImageOperationTool):
    """Describe a picture as a text-to-image prompt with 1min.ai (``IMAGE_TO_PROMPT``).

    The content is the description (several, one a line, for midjourney with ``n``); midjourney
    and magic-art get ``mode: "describe"``. wire-features.md#image-to-prompt.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIImageToPromptTool

            tool = OneMinAIImageToPromptTool(root_dir="photos")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "painting.jpg"})
            # 'an oil painting of a harbour at dawn, impressionist, ...'
    """

    name: str = "oneminai_image_to_prompt"
    """The tool name the model calls."""
    description: str = (
        "Describe a picture (local path, URL or 1min.ai asset key) as a prompt that could "
        "generate it, with 1min.ai."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = ImageToPromptInput
    """The arguments (``ImageToPromptInput``)."""
    model: str = plans.default_model("IMAGE_TO_PROMPT")
    """The model used when a call names none (methexis img2prompt: the picture only)."""
    feature_type: ClassVar[str] = "IMAGE_TO_PROMPT"

    def _result(  # type: ignore[override]
        self, call: FeatureCall, body: dict[str, Any], record: AIRecord, files: list[Any]
    ) -> tuple[str, AIRecord]:
        del call, body, files  # a text result: the record is the artifact
        return clean_text("\n".join(record.result_strings)), record


class OneMinAIObjectRemoverTool(ImageOperationTool):
    """Erase the masked part of a picture with 1min.ai (``IMAGE_OBJECT_REMOVER``).

    The mask is a picture of the same size, white where to remove.
    wire-features.md#image-object-remover.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIObjectRemoverTool

            tool = OneMinAIObjectRemoverTool(root_dir="photos", save_dir="clean")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "street.png", "mask": "street-mask.png"})
    """

    name: str = "oneminai_object_remover"
    """The tool name the model calls."""
    description: str = (
        "Remove an object from a picture with 1min.ai, given a mask (white where to remove). "
        "Both are local paths, URLs or 1min.ai asset keys."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = ObjectRemovalInput
    """The arguments (``ObjectRemovalInput``)."""
    model: str = plans.default_model("IMAGE_OBJECT_REMOVER")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "IMAGE_OBJECT_REMOVER"


class OneMinAIImageExtenderTool(ImageOperationTool):
    """Extend a picture beyond its edges with 1min.ai (``IMAGE_EXTENDER``, outpainting).

    ``left``/``right``/``up``/``down`` in pixels, 0-2000 (stable-image) or -2000 to 2000
    (clipdrop: negative crops); at least one must be given. wire-features.md#image-extender.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIImageExtenderTool

            tool = OneMinAIImageExtenderTool(root_dir="photos", save_dir="wide")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "beach.png", "left": 512, "right": 512})
    """

    name: str = "oneminai_image_extender"
    """The tool name the model calls."""
    description: str = (
        "Extend a picture (local path, URL or 1min.ai asset key) beyond its edges by so many "
        "pixels left, right, up or down, with 1min.ai."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = ImageExtensionInput
    """The arguments (``ImageExtensionInput``)."""
    model: str = plans.default_model("IMAGE_EXTENDER")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "IMAGE_EXTENDER"


class OneMinAIInpaintingTool(ImageOperationTool):
    """Repaint the masked area of a picture as a prompt says, with 1min.ai (``IMAGE_INPAINTER``).

    FLUX Fill (``black-forest-labs/flux-fill-pro``, the default; ``flux-fill-dev``), GPT Image
    (``size``, ``n``), Stable Image (``output_format`` jpeg only, sent by default).
    wire-features.md#image-inpainter.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIInpaintingTool

            tool = OneMinAIInpaintingTool(root_dir="photos", save_dir="out")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "room.png", "mask": "wall.png", "prompt": "a bookshelf"})
    """

    name: str = "oneminai_image_inpainter"
    """The tool name the model calls."""
    description: str = (
        "Repaint the masked area (white in the mask) of a picture as a prompt says, with "
        "1min.ai. The picture and the mask are local paths, URLs or 1min.ai asset keys."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = InpaintingInput
    """The arguments (``InpaintingInput``)."""
    model: str = plans.default_model("IMAGE_INPAINTER")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "IMAGE_INPAINTER"


class OneMinAISearchReplaceTool(ImageOperationTool):
    """Find an object in a picture and replace it, with 1min.ai (``SEARCH_AND_REPLACE``).

    No mask needed: ``search`` names the object (``search_prompt``), ``prompt`` what replaces
    it. wire-features.md#search-and-replace.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAISearchReplaceTool

            tool = OneMinAISearchReplaceTool(root_dir="photos", save_dir="out")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "desk.png", "search": "the coffee mug", "prompt": "a cactus"})
    """

    name: str = "oneminai_search_and_replace"
    """The tool name the model calls."""
    description: str = (
        "Find an object in a picture (local path, URL or 1min.ai asset key) and replace it with "
        "something else, with 1min.ai."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = SearchReplaceInput
    """The arguments (``SearchReplaceInput``)."""
    model: str = plans.default_model("SEARCH_AND_REPLACE")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "SEARCH_AND_REPLACE"


class OneMinAISketchToImageTool(ImageOperationTool):
    """Turn a sketch into a finished image with 1min.ai (``SKETCH_TO_IMAGE``).

    stable-image (the default) requires ``control_strength`` and ``output_format``: the docs'
    example 0.7 and png unless given. wire-features.md#sketch-to-image.

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAISketchToImageTool

            tool = OneMinAISketchToImageTool(root_dir="sketches", save_dir="out")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "house.png", "prompt": "a cosy cottage, watercolour"})
    """

    name: str = "oneminai_sketch_to_image"
    """The tool name the model calls."""
    description: str = (
        "Turn a sketch (local path, URL or 1min.ai asset key) into a finished image as a prompt "
        "describes, with 1min.ai."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = SketchInput
    """The arguments (``SketchInput``)."""
    model: str = plans.default_model("SKETCH_TO_IMAGE")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "SKETCH_TO_IMAGE"


class OneMinAIFaceSwapTool(ImageOperationTool):
    """Put a face from one picture onto another with 1min.ai (``FACE_SWAPPER``).

    ``image`` receives the face, ``face`` provides it (sent as dzine's ``swapImageUrl`` and
    ``targetImageUrl``, whose names read the other way round: wire-features.md#face-swapper).

    Instantiate:
        .. code-block:: python

            from langchain_oneminai.tools import OneMinAIFaceSwapTool

            tool = OneMinAIFaceSwapTool(root_dir="photos", save_dir="out")

    Invoke directly with args:
        .. code-block:: python

            tool.invoke({"image": "astronaut.png", "face": "me.jpg"})
    """

    name: str = "oneminai_face_swapper"
    """The tool name the model calls."""
    description: str = (
        "Swap a face into a picture with 1min.ai: 'image' receives the face, 'face' provides "
        "it (local paths, URLs or 1min.ai asset keys)."
    )
    """What the model reads about the tool."""
    args_schema: type[BaseModel] = FaceSwapInput
    """The arguments (``FaceSwapInput``)."""
    model: str = plans.default_model("FACE_SWAPPER")
    """The model used when a call names none."""
    feature_type: ClassVar[str] = "FACE_SWAPPER"
