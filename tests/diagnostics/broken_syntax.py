from kiln import compile

@compile
def broken(x: int) -> int
    return x
