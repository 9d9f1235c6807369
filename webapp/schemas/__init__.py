"""Request and response schemas (pydantic). The API validates bodies with them, the HTML
forms validate with the same models, and the OpenAPI document is generated from them."""
