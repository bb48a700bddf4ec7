"""Mutation testing, fifth round: autograd.tensor (the Tensor class assembled from its mixins). A Tensor has no
``__dict__``: an attribute name mistyped in an assignment (``t.requires_gard = True``) raises, instead of setting
a new attribute that nothing reads while the Tensor stays as it was; and ``__all__`` lists every name the library
imports from the package (``subtract_in_place`` could leave it unseen)."""

import pytest

from autograd import Tensor


def test_a_mistyped_attribute_assignment_raises_instead_of_being_silently_kept():
    t = Tensor([1.0, 2.0])
    with pytest.raises(AttributeError):
        t.requires_gard = True
    assert not t.requires_grad and not hasattr(t, "__dict__")


def test_every_name_the_library_imports_from_autograd_tensor_is_in_its_all():
    # star-importers and documentation tools read __all__: a name used across the package must be listed there
    import ast
    import inspect
    import pathlib

    import autograd.tensor
    root = pathlib.Path(autograd.tensor.__file__).parents[2]
    imported = set()
    for path in [*root.joinpath("autograd").glob("*.py"), *root.joinpath("autograd", "testing").glob("*.py"),
                 *root.joinpath("nn").glob("*.py")]:
        text = path.read_text()
        if "tensor import" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.module == "autograd.tensor" or node.module == "tensor"):
                imported |= {alias.name for alias in node.names}
    functions = {name for name in imported if not inspect.ismodule(getattr(autograd.tensor, name))}   # not .backward
    assert {"subtract_in_place", "Tensor", "stack"} <= functions
    assert functions <= set(autograd.tensor.__all__), sorted(functions - set(autograd.tensor.__all__))
