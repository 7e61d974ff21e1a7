"""Projects: what kustomize and Helm make of a tree of files, for linting what they deploy.

A repository's YAML is rarely a bag of objects. A Kustomize root and a Helm chart are built
into objects by a tool, and some of their files are the tool's own (a kustomization, a
transformer config, a file a configMapGenerator reads) or partial (a patch). These modules
say which files are which, render roots and charts with the real tool, and map a rendered
object's field back to the line a person wrote:

- `kustomize`: kustomize's own files, patches, roots and selector labels without rendering;
  `build()` through a temporary wrapper kustomization; `locate()` for a built field.
- `helm`: charts, `render()` with the helm binary or helm-python-sdk, Helm's document split,
  and `template_position()` for a rendered line.

Nothing here edits a user's file, and nothing raises on bad input: errors come back as data.
"""
