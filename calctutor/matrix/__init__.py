"""Matrix calculus: shapes, a matrix-notation parser, gradients and Jacobians with steps,
numeric verification, grading and backpropagation with shapes."""
